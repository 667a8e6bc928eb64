"""The later pages: every dose once, in date order, with who gave it and the lot (CCR
Title 17 §6065 asks for who gave it), and the TB tests.

Cells are plain strings, broken into lines beforehand where they may be long: a
table of plain strings costs a fraction of one of Paragraphs. The dose list, the
longest part of the printout, is drawn straight on the canvas (PlainTable), in
the look of the TB tests' reportlab table, for a fraction of its cost. A row
never breaks across pages, and the header row is repeated on each page.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import inch
from reportlab.platypus import Flowable, Table, TableStyle

from .labels import Words, tb_interpretation_label, tb_type_label
from .services import RecordView
from .text import BOLD, FONT, GRID, SHADE, printable, wrapped

SIZE, LEADING, PAD = 8.5, 10.5, 3
TOP_PAD, BOTTOM_PAD = 2, 3


def _style() -> TableStyle:
    return TableStyle(
        [
            ("FONT", (0, 0), (-1, 0), BOLD, SIZE, LEADING),
            ("FONT", (0, 1), (-1, -1), FONT, SIZE, LEADING),
            ("BACKGROUND", (0, 0), (-1, 0), SHADE),
            ("GRID", (0, 0), (-1, -1), 0.25, GRID),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), TOP_PAD),
            ("BOTTOMPADDING", (0, 0), (-1, -1), BOTTOM_PAD),
            ("LEFTPADDING", (0, 0), (-1, -1), PAD),
            ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ]
    )


def _head(texts: tuple[str, ...], widths: list[float]) -> list[str]:
    return [wrapped(t, w - 2 * PAD, BOLD, SIZE) for t, w in zip(texts, widths, strict=True)]


def dose_list(view: RecordView, width: float) -> PlainTable:
    widths = [0.95 * inch, 2.55 * inch, 0.0, 1.0 * inch]
    widths[2] = width - sum(widths)
    inner = [w - 2 * PAD for w in widths]
    head = _head((_("Date given"), _("Vaccine"), _("Given by"), _("Lot number")), widths)
    not_recorded = _("Not recorded")
    date_of = Words.current().date
    rows = [
        [
            printable(date_of(dose.given_on)),
            wrapped(dose.name, inner[1]),
            wrapped(dose.given_by or not_recorded, inner[2]),
            wrapped(dose.lot_number or "—", inner[3]),
        ]
        for dose in view.doses
    ]
    return PlainTable(head, rows, widths)


Lines = tuple[tuple[str, ...], ...]  # a row: each cell's lines


class PlainTable(Flowable):
    """Rows of plain-text cells (lines already broken) with a bold shaded header row,
    a grid, and the cell padding of `_style()`; split between rows, header repeated."""

    def __init__(self, head: list[str], rows: list[list[str]], widths: list[float]) -> None:
        super().__init__()
        self.head: Lines = tuple(tuple(cell.split("\n")) for cell in head)
        self.rows: list[Lines] = [tuple(tuple(c.split("\n")) for c in row) for row in rows]
        self.widths = widths
        self.width = sum(widths)

    @staticmethod
    def _height(row: Lines) -> float:
        return max(len(cell) for cell in row) * LEADING + TOP_PAD + BOTTOM_PAD

    def _part(self, rows: list[Lines]) -> PlainTable:
        part = PlainTable([], [], self.widths)
        part.head, part.rows = self.head, rows
        return part

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.height = self._height(self.head) + sum(self._height(r) for r in self.rows)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        used, take = self._height(self.head), 0
        while take < len(self.rows) and used + self._height(self.rows[take]) <= avail_height:
            used += self._height(self.rows[take])
            take += 1
        if take in (0, len(self.rows)):
            return []
        return [self._part(self.rows[:take]), self._part(self.rows[take:])]

    def draw(self) -> None:
        c = self.canv
        head_height = self._height(self.head)
        c.setFillColor(SHADE)
        c.rect(0, self.height - head_height, self.width, head_height, stroke=0, fill=1)
        c.setFillColor(colors.black)
        y, edges = self.height, [self.height]
        for row, font in [(self.head, BOLD), *((r, FONT) for r in self.rows)]:
            text = c.beginText()
            text.setFont(font, SIZE, LEADING)
            x = 0.0
            for lines, width in zip(row, self.widths, strict=True):
                baseline = y - TOP_PAD - SIZE
                for line in lines:
                    text.setTextOrigin(x + PAD, baseline)
                    text.textOut(line)
                    baseline -= LEADING
                x += width
            c.drawText(text)
            y -= self._height(row)
            edges.append(y)
        c.setStrokeColor(GRID)
        c.setLineWidth(0.25)
        for edge in edges:
            c.line(0, edge, self.width, edge)
        x = 0.0
        for width in [0.0, *self.widths]:
            x += width
            c.line(x, 0, x, self.height)


def tb_table(view: RecordView, width: float) -> Table:
    widths = [1.25 * inch, 0.95 * inch, 0.95 * inch, 0.8 * inch, 1.05 * inch, 0.0]
    widths[-1] = width - sum(widths)
    inner = [w - 2 * PAD for w in widths]
    heads = (_("Test"), _("Placed"), _("Read"), _("Result"), _("Interpretation"), _("Given by"))
    rows: list[list[Any]] = [_head(heads, widths)]
    date_of = Words.current().date
    for t in view.tb_tests:
        rows.append(
            [
                wrapped(tb_type_label(t.test_type), inner[0]),
                printable(date_of(t.placed_on)),
                printable(date_of(t.read_on)) if t.read_on else "—",
                wrapped(t.result or "—", inner[3]),
                wrapped(tb_interpretation_label(t.interpretation), inner[4]),
                wrapped(t.given_by or _("Not recorded"), inner[5]),
            ]
        )
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(_style())
    return table
