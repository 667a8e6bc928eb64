"""Page one's grid, in the shape of the California School Immunization Record (CDPH 286).

One row per vaccine: the card's required rows first, in the card's order (polio,
DTaP/Tdap/Td, hepatitis B, MMR, Hib, varicella), shown even when empty, then the
others the record has. The dose dates run across in columns (dose 1, 2, 3, ...); a
row with more doses than columns goes on below itself. A combination vaccine's date
carries a letter in each row it counts for, and one footnote names the product.

The grid is drawn straight on the canvas (no table machinery): it is most of page
one, and a few hundred strings cost far less this way.
"""

from __future__ import annotations

from dataclasses import dataclass
from string import ascii_lowercase

from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.utils import simpleSplit
from reportlab.platypus import Flowable

from portal.registry.vaccines import VaccineGroup, group_name

from .labels import Words, group_title
from .services import GroupView, RecordView
from .text import BOLD, FONT, GRID, SHADE, printable

G = VaccineGroup
CARD_ROWS = (G.POLIO, G.DTAP, G.HEPB, G.MMR, G.HIB, G.VARICELLA)
COLUMNS = 6  # dose columns; DTaP's five doses and a Tdap fit on one line
LABEL_WIDTH = 150.0
LINE = 11.0  # one line of dates
PAD = 3.0
SIZE, LABEL_SIZE, SMALL = 8.0, 7.5, 5.5
MUTED = colors.HexColor("#4a4f57")  # 8:1 on white; the dose numbers and "none recorded"


@dataclass(frozen=True)
class Cell:
    number: int
    date: str
    mark: str  # a footnote letter for a combination vaccine, or ""


@dataclass(frozen=True)
class GridRow:
    label: tuple[str, ...]  # the row's name, wrapped to the label column
    cells: tuple[Cell, ...]

    @property
    def lines(self) -> int:
        return max(len(self.label), -(-len(self.cells) // COLUMNS), 1)

    @property
    def height(self) -> float:
        return self.lines * LINE + 2 * PAD


@dataclass(frozen=True)
class Footnote:
    mark: str
    text: str


def _marks() -> list[str]:
    """a, b, ..., z, then aa, ab, ...: a record never runs out of letters."""
    return list(ascii_lowercase) + [a + b for a in ascii_lowercase for b in ascii_lowercase]


def grid_rows(view: RecordView) -> tuple[list[GridRow], list[Footnote]]:
    """The grid's rows and the footnotes that name each combination product once."""
    by_group = {g.group: g for g in view.groups}
    ordered = [by_group.get(g) or GroupView(g, group_name(g, view.locale), ()) for g in CARD_ROWS]
    ordered += [g for g in view.groups if g.group not in CARD_ROWS]
    date_of = Words.current().date  # each date formatted once (flask-babel's is slow)
    letters = iter(_marks())
    marks: dict[str, str] = {}  # the product's name -> its letter
    notes: list[Footnote] = []
    rows = []
    for group in ordered:
        cells = []
        for entry in group.entries:
            dose = entry.dose
            mark = ""
            if dose.is_combination or group.group is None:
                mark = marks.get(dose.name, "")
                if not mark:
                    mark = marks[dose.name] = next(letters)
                    notes.append(Footnote(mark, _footnote(dose.name, dose.groups, view.locale)))
            date = printable(date_of(dose.given_on))
            cells.append(Cell(entry.number, date, mark))
        label = simpleSplit(printable(group_title(group)), BOLD, LABEL_SIZE, LABEL_WIDTH - 2 * PAD)
        rows.append(GridRow(tuple(label), tuple(cells)))
    return rows, notes


def _footnote(name: str, groups: tuple[VaccineGroup, ...], locale: str) -> str:
    if len(groups) < 2:
        return printable(name)
    return printable(
        _(
            "%(vaccine)s: one shot, dated in each row it counts for (%(groups)s).",
            vaccine=name,
            groups=", ".join(group_name(g, locale) for g in groups),
        )
    )


class DoseGrid(Flowable):
    """The grid as one flowable; split by whole rows (header repeated) only when a record
    is too long for a page, which no child's record is."""

    def __init__(self, rows: list[GridRow], width: float) -> None:
        super().__init__()
        self.rows = rows
        self.width = width
        self.head = [_("Vaccine")] + [_("Dose %(number)d", number=i) for i in range(1, COLUMNS + 1)]
        self.head = [printable(h) for h in self.head]
        self.none_text = printable(_("none recorded"))

    @property
    def header_height(self) -> float:
        return LINE + 2 * PAD

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.height = self.header_height + sum(r.height for r in self.rows)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        used, take = self.header_height, 0
        while take < len(self.rows) and used + self.rows[take].height <= avail_height:
            used += self.rows[take].height
            take += 1
        if take == len(self.rows):
            return []
        rows = list(self.rows)
        if take == 0:  # one row taller than what is left: split it between lines of dates
            lines = int((avail_height - used - 2 * PAD) // LINE)
            row = rows[0]
            if lines < 1 or len(row.cells) <= COLUMNS:
                return []
            cut = min(lines, row.lines - 1) * COLUMNS
            rows[0:1] = [GridRow(row.label, row.cells[:cut]), GridRow(row.label, row.cells[cut:])]
            take = 1
        return [DoseGrid(rows[:take], self.width), DoseGrid(rows[take:], self.width)]

    def draw(self) -> None:
        c = self.canv
        column = (self.width - LABEL_WIDTH) / COLUMNS
        top = self.height
        c.setFillColor(SHADE)
        c.rect(0, top - self.header_height, self.width, self.header_height, stroke=0, fill=1)
        c.setFillColor(colors.black)
        c.setFont(BOLD, LABEL_SIZE)
        baseline = top - PAD - LINE + 3
        c.drawString(PAD, baseline, self.head[0])
        for i, text in enumerate(self.head[1:]):
            c.drawString(LABEL_WIDTH + i * column + PAD, baseline, text)
        y = top - self.header_height
        c.setStrokeColor(GRID)
        c.setLineWidth(0.25)
        for row in self.rows:
            self._draw_row(row, y, column)
            y -= row.height
            c.line(0, y, self.width, y)
        c.setLineWidth(0.75)
        c.rect(0, 0, self.width, self.height, stroke=1, fill=0)
        c.setLineWidth(0.25)
        c.line(LABEL_WIDTH, 0, LABEL_WIDTH, top)
        for i in range(1, COLUMNS):
            c.line(LABEL_WIDTH + i * column, 0, LABEL_WIDTH + i * column, top)

    def _draw_row(self, row: GridRow, top: float, column: float) -> None:
        c = self.canv
        c.setFillColor(colors.black)
        c.setFont(BOLD, LABEL_SIZE)
        for i, line in enumerate(row.label):
            c.drawString(PAD, top - PAD - (i + 1) * LINE + 3, line)
        if not row.cells:
            c.setFillColor(MUTED)
            room = (self.width - LABEL_WIDTH) / COLUMNS - 2 * PAD
            size = min(SIZE - 1, SIZE * room / max(c.stringWidth(self.none_text, FONT, SIZE), 1))
            c.setFont(FONT, size)
            c.drawString(LABEL_WIDTH + PAD, top - PAD - LINE + 3, self.none_text)
            return
        for k, cell in enumerate(row.cells):
            line, col = divmod(k, COLUMNS)
            x = LABEL_WIDTH + col * column + PAD
            baseline = top - PAD - (line + 1) * LINE + 3
            if line:  # past the header's columns: say which dose this is
                number = str(cell.number)
                c.setFillColor(MUTED)
                c.setFont(FONT, SMALL)
                c.drawString(x - 1.5, baseline + 3.5, number)
                x += c.stringWidth(number, FONT, SMALL) + 0.5
            c.setFillColor(colors.black)
            c.setFont(FONT, SIZE)
            c.drawString(x, baseline, cell.date)
            if cell.mark:
                c.setFont(BOLD, SMALL + 0.5)
                c.drawString(x + c.stringWidth(cell.date, FONT, SIZE) + 1, baseline + 3, cell.mark)
