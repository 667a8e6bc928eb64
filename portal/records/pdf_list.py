"""The later pages: every dose once, in date order, with who gave it and the lot (CCR
Title 17 §6065 asks for who gave it), and the TB tests.

Cells are plain strings, broken into lines beforehand where they may be long: a
table of plain strings costs a fraction of one of Paragraphs. A table row never
breaks across pages (reportlab splits tables between rows only), and the header
row is repeated on each page.
"""

from __future__ import annotations

from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from reportlab.lib.units import inch
from reportlab.platypus import Table, TableStyle

from .labels import tb_interpretation_label, tb_type_label
from .services import RecordView
from .text import BOLD, FONT, GRID, SHADE, printable, wrapped

SIZE, LEADING, PAD = 8.5, 10.5, 3


def _style() -> TableStyle:
    return TableStyle(
        [
            ("FONT", (0, 0), (-1, 0), BOLD, SIZE, LEADING),
            ("FONT", (0, 1), (-1, -1), FONT, SIZE, LEADING),
            ("BACKGROUND", (0, 0), (-1, 0), SHADE),
            ("GRID", (0, 0), (-1, -1), 0.25, GRID),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LEFTPADDING", (0, 0), (-1, -1), PAD),
            ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ]
    )


def _head(texts: tuple[str, ...], widths: list[float]) -> list[str]:
    return [wrapped(t, w - 2 * PAD, BOLD, SIZE) for t, w in zip(texts, widths, strict=True)]


def dose_list(view: RecordView, width: float) -> Table:
    widths = [0.95 * inch, 2.55 * inch, 0.0, 1.0 * inch]
    widths[2] = width - sum(widths)
    inner = [w - 2 * PAD for w in widths]
    rows: list[list[Any]] = [
        _head((_("Date given"), _("Vaccine"), _("Given by"), _("Lot number")), widths)
    ]
    not_recorded = _("Not recorded")
    for dose in view.doses:
        rows.append(
            [
                printable(format_date(dose.given_on, "medium")),
                wrapped(dose.name, inner[1]),
                wrapped(dose.given_by or not_recorded, inner[2]),
                wrapped(dose.lot_number or "—", inner[3]),
            ]
        )
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(_style())
    return table


def tb_table(view: RecordView, width: float) -> Table:
    widths = [1.25 * inch, 0.95 * inch, 0.95 * inch, 0.8 * inch, 1.05 * inch, 0.0]
    widths[-1] = width - sum(widths)
    inner = [w - 2 * PAD for w in widths]
    heads = (_("Test"), _("Placed"), _("Read"), _("Result"), _("Interpretation"), _("Given by"))
    rows: list[list[Any]] = [_head(heads, widths)]
    for t in view.tb_tests:
        rows.append(
            [
                wrapped(tb_type_label(t.test_type), inner[0]),
                printable(format_date(t.placed_on, "medium")),
                printable(format_date(t.read_on, "medium")) if t.read_on else "—",
                wrapped(t.result or "—", inner[3]),
                wrapped(tb_interpretation_label(t.interpretation), inner[4]),
                wrapped(t.given_by or _("Not recorded"), inner[5]),
            ]
        )
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(_style())
    return table
