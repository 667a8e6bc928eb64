"""Name pools for the demo's families, drawn from the communities of California's Central Valley.

Each background has given names by sex and family names; weights are rough
shares of the families a county registry sees. Spelling follows how parents
write the names, accents and all.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Background:
    key: str
    weight: int
    female: tuple[str, ...]
    male: tuple[str, ...]
    surnames: tuple[str, ...]
    adult_female: tuple[str, ...]
    adult_male: tuple[str, ...]


# fmt: off
LATINO = Background(
    "latino",
    46,
    female=(
        "María", "Sofía", "Valentina", "Camila", "Ximena", "Guadalupe", "Lucía", "Isabella",
        "Daniela", "Itzel", "Jimena", "Renata", "Natalia", "Mía", "Abril", "Yaretzi", "Aylin",
    ),
    male=(
        "José", "Mateo", "Santiago", "Diego", "Emiliano", "Luis", "Ángel", "Jesús", "Adrián",
        "Iker", "Leonardo", "Sebastián", "Alejandro", "Julián", "Joaquín", "Gael", "Matías",
    ),
    surnames=(
        "García", "Hernández", "López", "Martínez", "González", "Rodríguez", "Pérez", "Sánchez",
        "Ramírez", "Flores", "Gómez", "Díaz", "Reyes", "Cruz", "Morales", "Ortiz", "Gutiérrez",
        "Chávez", "Ramos", "Vásquez", "Castillo", "Jiménez", "Mendoza", "Ruiz", "Álvarez",
        "Romero", "Herrera", "Medina", "Aguilar", "Núñez", "Ibarra", "Zúñiga", "Villaseñor",
        "De la Cruz", "De León", "Del Río", "De la Torre", "Ochoa", "Cervantes", "Magaña",
    ),
    adult_female=(
        "Guadalupe", "Rosa", "Verónica", "Yesenia", "Araceli", "Maricela", "Leticia", "Claudia",
        "Alejandra", "Griselda", "Norma", "Elizabeth",
    ),
    adult_male=(
        "Juan Carlos", "Miguel", "Francisco", "Javier", "Eduardo", "Ricardo", "Raúl", "Armando",
        "Héctor", "Salvador", "Rigoberto", "Óscar",
    ),
)

WHITE = Background(
    "white",
    19,
    female=("Emma", "Olivia", "Hannah", "Avery", "Harper", "Claire", "Lily", "Abigail", "Nora"),
    male=("Liam", "Noah", "Wyatt", "Caleb", "Owen", "Hunter", "Carter", "Levi", "Brody"),
    surnames=(
        "Miller", "Anderson", "Thompson", "O'Brien", "Schmidt", "Jensen", "McAllister",
        "Van Dyke", "Peterson", "Walker", "Sullivan", "Hoffmann", "Baker", "Mitchell",
    ),
    adult_female=("Jennifer", "Amanda", "Sarah", "Megan", "Heather", "Kristen", "Rachel"),
    adult_male=("Michael", "Ryan", "Brian", "Travis", "Kyle", "Dustin", "Matthew"),
)

SOUTHEAST_ASIAN = Background(
    "southeast_asian",
    8,
    female=("Mai", "Nou", "Pa Houa", "Linh", "Anh", "Thảo", "Kaila", "Maiv", "Ngoc Han"),
    male=("Kou", "Tou", "Pheng", "Minh", "Bao", "Khang", "Long", "Vinh", "Fue"),
    surnames=(
        "Vang", "Xiong", "Yang", "Thao", "Moua", "Lor", "Her", "Vue", "Nguyen", "Tran", "Pham",
        "Le", "Hoang", "Nguyễn",
    ),
    adult_female=("Mai Yer", "Chia", "Pa", "Huong", "Thu", "Lan"),
    adult_male=("Chue", "Nhia", "Seng", "Dung", "Hai", "Tuan"),
)

EAST_ASIAN = Background(
    "east_asian",
    4,
    female=("Chloe", "Jia", "Mei", "Seo-yeon", "Ji-woo", "Grace", "Yuna"),
    male=("Ethan", "Wei", "Jun", "Min-jun", "Lucas", "Ryan", "Haruto"),
    surnames=("Chen", "Wong", "Li", "Zhang", "Huang", "Lin", "Kim", "Park", "Choi", "Tanaka"),
    adult_female=("Xiaoling", "Jennifer", "Eun-ji", "Yuki"),
    adult_male=("David", "Hao", "Sung-ho", "Kenji"),
)

FILIPINO = Background(
    "filipino",
    4,
    female=("Jasmine", "Kristine", "Angelica", "Bea", "Althea", "Princess"),
    male=("Angelo", "Miguel", "Joshua", "Paolo", "Jericho", "Rafael"),
    surnames=("Santos", "Reyes", "Bautista", "Dela Cruz", "Villanueva", "Aquino", "Mendoza"),
    adult_female=("Maricel", "Rowena", "Liza", "Joy"),
    adult_male=("Ronaldo", "Jun", "Arnel", "Edwin"),
)

SOUTH_ASIAN = Background(
    "south_asian",
    6,
    female=("Simran", "Harleen", "Jasleen", "Anaya", "Priya", "Navneet", "Gurleen"),
    male=("Arjun", "Gurpreet", "Jaskaran", "Harjot", "Rohan", "Aarav", "Ekam"),
    surnames=("Singh", "Kaur", "Sandhu", "Gill", "Dhillon", "Sidhu", "Grewal", "Patel", "Sharma"),
    adult_female=("Harpreet", "Manpreet", "Rupinder", "Sunita"),
    adult_male=("Gurdeep", "Baljit", "Sukhwinder", "Rajesh"),
)

ARMENIAN = Background(
    "armenian",
    4,
    female=("Ani", "Lilit", "Tatev", "Mariam", "Nare", "Arpi"),
    male=("Aram", "Narek", "Gor", "Davit", "Tigran", "Levon"),
    surnames=("Petrosyan", "Hakobyan", "Kazarian", "Avakian", "Der Manuelian", "Ghukasyan"),
    adult_female=("Anahit", "Gayane", "Siranush"),
    adult_male=("Armen", "Vardan", "Hovhannes"),
)

BLACK = Background(
    "black",
    8,
    female=("Imani", "Aaliyah", "Zuri", "Jada", "Kiara", "Nia", "Amara", "Journee", "Adaeze"),
    male=("Jaylen", "Malik", "Darius", "Marcus", "Elijah", "Isaiah", "Kofi", "Jamal", "Tobi"),
    surnames=(
        "Washington", "Jackson", "Johnson", "Williams", "Robinson", "Okafor", "Mensah", "Haile",
        "Brooks", "Coleman", "N'Diaye", "Adeyemi",
    ),
    adult_female=("Danielle", "Tasha", "Keisha", "Monique", "Chioma", "Latoya"),
    adult_male=("Andre", "Terrence", "DeShawn", "Kwame", "Reginald", "Emeka"),
)

MIDDLE_EASTERN = Background(
    "middle_eastern",
    1,
    female=("Layla", "Mariam", "Noor", "Yasmin", "Zahra"),
    male=("Omar", "Yusuf", "Ali", "Karim", "Hamza"),
    surnames=("Haddad", "Al-Sayed", "Nasser", "Khoury", "Abdullah", "Rahimi"),
    adult_female=("Fatima", "Rania", "Samira"),
    adult_male=("Ahmad", "Khalid", "Tariq"),
)

# fmt: on

BACKGROUNDS: tuple[Background, ...] = (
    LATINO,
    WHITE,
    SOUTHEAST_ASIAN,
    EAST_ASIAN,
    FILIPINO,
    SOUTH_ASIAN,
    ARMENIAN,
    BLACK,
    MIDDLE_EASTERN,
)

# fmt: off
STREETS: tuple[str, ...] = (
    "N Blackstone Ave", "E Shields Ave", "W Olive Ave", "N Cedar Ave", "E Kings Canyon Rd",
    "S Chestnut Ave", "N Fowler Ave", "E Ashlan Ave", "W Clinton Ave", "N Maple Ave",
    "E Belmont Ave", "S Elm Ave", "Academy Ave", "Jensen Ave", "Manning Ave", "Calle Ocho",
    "Jacaranda St", "Orange Ave", "Almond Grove Ct", "Vineyard Dr", "Sierra Vista Way",
    "Oleander Ave", "Magnolia St", "Peach Ave", "Walnut Creek Ln", "Raisin City Rd",
)

# (city, ZIP codes, area code). Most families live in the county; a few moved in from elsewhere.
CITIES: tuple[tuple[str, tuple[str, ...], str, int], ...] = (
    ("Fresno", ("93701", "93702", "93703", "93704", "93705", "93706", "93722", "93726"), "559", 40),
    ("Clovis", ("93611", "93612", "93619"), "559", 14),
    ("Sanger", ("93657",), "559", 8),
    ("Reedley", ("93654",), "559", 8),
    ("Selma", ("93662",), "559", 6),
    ("Parlier", ("93648",), "559", 4),
    ("Kerman", ("93630",), "559", 4),
    ("Fowler", ("93625",), "559", 3),
    ("Madera", ("93637", "93638"), "559", 5),
    ("Orange Cove", ("93646",), "559", 3),
    ("Sacramento", ("95823", "95828"), "916", 2),
    ("Los Angeles", ("90011", "90044"), "323", 2),
    ("San Jose", ("95122",), "408", 1),
)

# Where children born or vaccinated abroad got their first doses (historical records).
ABROAD: tuple[str, ...] = (
    "Clínica in Guadalajara, MX",
    "Centro de Salud, Oaxaca de Juárez, MX",
    "IMSS Clínica, Morelia, MX",
    "Centro de Salud, Tijuana, MX",
    "Hospital in Quezaltenango, GT",
    "Barangay Health Center, Quezon City, PH",
    "Pediatric clinic in Yerevan, AM",
    "Community health post, Ludhiana, IN",
    "Pediatrician in Phoenix, AZ",
    "Family clinic in Reno, NV",
)
# fmt: on
