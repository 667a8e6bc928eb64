"""/verify shows the doses as the paper does: a row per vaccine, in CDPH 286 order."""

from __future__ import annotations

import re
from datetime import date

from portal.proof.grouping import rows_by_vaccine
from portal.proof.verification import CheckedDose
from portal.registry.vaccines import VaccineGroup as G
from tests.proof.test_verify_api import ask
from tests.proof.test_verify_page import paste


def _dose(cvx: str, day: date) -> CheckedDose:
    return CheckedDose(cvx=cvx, given_on=day, occurred=None, given_by=None)


def test_rows_follow_the_blue_card_and_combinations_count_in_each_row() -> None:
    doses = [
        _dose("21", date(2020, 3, 1)),  # varicella
        _dose("03", date(2020, 3, 1)),  # MMR
        _dose("88", date(2021, 10, 1)),  # flu: an "other" row
        _dose("110", date(2019, 5, 1)),  # DTaP-HepB-IPV
        _dose("10", date(2019, 3, 1)),  # IPV, earlier than the combination
        _dose("17", date(2019, 7, 1)),  # Hib
        _dose("999", date(2019, 7, 1)),  # a code we do not know
    ]
    rows = rows_by_vaccine(doses)
    assert [r.group for r in rows] == [
        G.POLIO, G.DTAP, G.HEPB, G.MMR, G.HIB, G.VARICELLA, G.INFLUENZA, None,
    ]  # fmt: skip
    polio = rows[0]
    assert [d.cvx for d in polio.doses] == ["10", "110"]  # in date order
    assert polio.is_combination(polio.doses[1]) and not polio.is_combination(polio.doses[0])
    assert rows[-1].cvx == "999"


def test_the_result_page_has_a_row_per_vaccine_with_dose_dates_across(
    client, make, issue
) -> None:
    child = make.patient(first_name="Ana", last_name="Ruiz")
    for cvx, day in [("03", date(2020, 3, 20)), ("110", date(2019, 5, 14)),
                     ("110", date(2019, 7, 14)), ("10", date(2020, 1, 9))]:  # fmt: skip
        make.dose(child, cvx_code=cvx, given_on=day)
    page = paste(client, issue(child).qr_chunks[0]).get_data(as_text=True)
    table = page[page.index('<table class="by-vaccine">') :]
    table = table[: table.index("</table>")]
    heads = re.findall(r'<th scope="row">([^<]+)</th>', table)
    assert heads == [
        "Polio",
        "Diphtheria, tetanus, whooping cough",
        "Hepatitis B",
        "Measles, mumps, rubella",
    ]
    polio = table[table.index(">Polio<") : table.index("Diphtheria")]
    assert polio.count("<li>") == 3  # two combination doses and the IPV dose
    assert "Dose 3" in polio
    body = ask(client, issue(child).short_code).get_json()
    assert [row["group"] for row in body["by_vaccine"]] == ["Polio", "DTaP/Tdap/Td", "HepB", "MMR"]
    assert body["by_vaccine"][0]["dates"] == ["2019-05-14", "2019-07-14", "2020-01-09"]
