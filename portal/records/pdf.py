"""The printable shot record: page one in the shape of the California School Immunization
Record (CDPH 286), the dose-by-dose list on the pages after it.

Page one holds the header (name, birth date, sex, registry id, parent or guardian),
the grid of dose dates by vaccine (pdf_grid.py), and the signed QR code(s) with the
verification code. The later pages list every dose once with who gave it and the lot,
as CCR Title 17 §6065 asks, and the TB tests (pdf_list.py). "Page N of M" and the
printing date are on every page. Address and phone are left off: the printout goes to
schools, which may not see them. Call it inside an app context, under the printout's
locale (its words go through Babel); it returns the PDF's bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from portal.languages import language
from portal.proof import school

from . import fonts
from .labels import sex_label
from .pages import Line, fit, numbered_canvas
from .pdf_grid import DoseGrid, grid_rows
from .pdf_list import dose_list, tb_table
from .qr import QrCode, group_for_reading
from .services import RecordView
from .text import BOLD, FONT, GRID, SHADE, printable, wrapped

__all__ = ["PrintedProof", "build_shot_record_pdf", "printable"]

MARGIN = 0.6 * inch
FOOTER_SPACE = 0.45 * inch
FRAME_WIDTH = LETTER[0] - 2 * MARGIN
WIDTH = FRAME_WIDTH - 12  # inside the frame's own padding of 6 points a side
QR_SIZE = 2.1 * inch  # 1,195 JWS characters (2,390 digits) need ~version 22: 0.5 mm a module


@dataclass(frozen=True)
class PrintedProof:
    """A signed health card for the printout: its QR chunks and a code to read aloud."""

    qr_chunks: list[str]
    short_code: str
    issued_at: datetime


def _make_styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12)
    return {
        "title": ParagraphStyle("title", fontName=BOLD, fontSize=17, leading=20),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=9.5, leading=12),
        # A heading never ends a page: it goes over with what it heads.
        "h2": ParagraphStyle(
            "h2", fontName=BOLD, fontSize=12, leading=15, spaceBefore=8, keepWithNext=1
        ),
        "body": body,
        "label": ParagraphStyle("label", parent=body, fontName=BOLD),
        "group": ParagraphStyle("group", parent=body, fontName=BOLD, fontSize=10),
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10),
        "note": ParagraphStyle(
            "note", parent=body, fontSize=7.5, leading=9, leftIndent=9, firstLineIndent=-9
        ),
        "name": ParagraphStyle("name", fontName=BOLD, fontSize=13, leading=16),
        "long_name": ParagraphStyle("long_name", fontName=BOLD, fontSize=10.5, leading=13),
        "code": ParagraphStyle("code", fontName="Courier-Bold", fontSize=13, leading=16),
    }


_STYLES = _make_styles()  # built once: styles do not depend on the request


def _p(text: str, style: str) -> Flowable:
    return Line(printable(text), _STYLES[style])


def build_shot_record_pdf(
    view: RecordView, *, printed_on: date, proof: PrintedProof | None = None
) -> bytes:
    """The printout in the view's language, in a font that prints it (fonts.py)."""
    with fonts.use(language(view.locale).pdf_font):
        return _build(view, printed_on=printed_on, proof=proof)


def _build(view: RecordView, *, printed_on: date, proof: PrintedProof | None) -> bytes:
    rows, notes = grid_rows(view)
    story: list[Flowable] = [
        _p(_("Shot record"), "title"),
        _p(
            _(
                "Immunization record from the state immunization registry, in the order of "
                "the California School Immunization Record (CDPH 286)"
            ),
            "subtitle",
        ),
        Spacer(1, 6),
        _patient_table(view),
        Spacer(1, 8),
        DoseGrid(rows, WIDTH),
    ]
    if notes:
        story.append(Spacer(1, 3))
        story += [
            Paragraph(f"<b>{n.mark}</b>&nbsp;&nbsp;{escape(n.text)}", _STYLES["note"])
            for n in notes
        ]
    story += [Spacer(1, 6), *_school_block(view, printed_on)]
    if proof is not None:
        story += [Spacer(1, 8), _proof_block(proof)]
    elif not view.doses:
        # A school that expects a QR code must not take its absence for a cut-off one.
        story += [
            Spacer(1, 8),
            _p(
                _(
                    "This printout has no QR code because no vaccine doses are recorded. "
                    "A signed QR code is printed once the record holds at least one dose."
                ),
                "body",
            ),
        ]
    if view.doses:
        story += [
            PageBreak(),
            _p(_("Every dose, with who gave it"), "h2"),
            dose_list(view, WIDTH),
        ]
    else:
        story += [_p(_("Vaccines"), "h2"), _p(_("No vaccine doses are recorded."), "body")]
    story.append(_p(_("TB tests"), "h2"))
    if view.tb_tests:
        story.append(tb_table(view, WIDTH))
    else:
        story.append(_p(_("No TB tests are recorded."), "body"))
    story += [
        Spacer(1, 8),
        _p(
            _(
                "This record lists every vaccine dose and TB test reported to the state "
                "immunization registry as of %(date)s.",
                date=format_date(printed_on, "long"),
            ),
            "small",
        ),
    ]
    out = BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=LETTER,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + FOOTER_SPACE,
        title=printable(_("Shot record")),
        author=printable(_("State immunization registry")),
        lang=view.locale,
    )
    doc.build(story, canvasmaker=numbered_canvas(_footer(view, printed_on)))
    return out.getvalue()


def _school_block(view: RecordView, printed_on: date) -> list[Flowable]:
    """California's K-12 entry check on the printed doses: yes/no, what is missing."""
    said = school.answer(view.birth_date, ((d.cvx, d.given_on) for d in view.doses),
                         "k12_entry", printed_on)  # fmt: skip
    block = [_p(said.headline, "group")]
    if said.missing:
        missing = _("Missing: %(antigens)s", antigens="; ".join(said.missing))
        block.append(Paragraph(escape(printable(missing)), _STYLES["body"]))
    if said.next_due:
        block.append(_p(said.next_due, "body"))
    return [KeepTogether(block)]


def _patient_table(view: RecordView) -> Table:
    label_w, value_w = 1.4 * inch, WIDTH / 2 - 1.4 * inch
    name_style = "name" if len(view.full_name) <= 60 else "long_name"

    def label(text: str) -> str:
        return wrapped(text, label_w - 12, BOLD, 9)

    def value(text: str) -> str:
        return wrapped(text, value_w - 12, FONT, 9)

    rows = [
        [label(_("Name")), _p(view.full_name, name_style), "", ""],
        [
            label(_("Birth date")),
            value(format_date(view.birth_date, "long")),
            label(_("Sex")),
            value(sex_label(view.sex)),
        ],
        [
            label(_("Registry ID")),
            view.registry_id,
            label(_("Parent or guardian")),
            value(view.guardian_name or _("Not recorded")),
        ],
    ]
    table = Table(rows, colWidths=[label_w, value_w, label_w, value_w])
    table.setStyle(
        TableStyle(
            [
                ("SPAN", (1, 0), (-1, 0)),
                ("FONT", (0, 0), (-1, -1), FONT, 9, 11),
                ("FONT", (0, 0), (0, -1), BOLD, 9, 11),
                ("FONT", (2, 0), (2, -1), BOLD, 9, 11),
                ("BOX", (0, 0), (-1, -1), 0.75, GRID),
                ("LINEBELOW", (0, 0), (-1, -2), 0.25, GRID),
                ("BACKGROUND", (0, 0), (0, -1), SHADE),
                ("BACKGROUND", (2, 1), (2, -1), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def _proof_block(proof: PrintedProof) -> Flowable:
    count = len(proof.qr_chunks)
    cells: list[Any] = []
    for i, chunk in enumerate(proof.qr_chunks, start=1):
        caption = _("Scan to verify")
        if count > 1:
            caption += " — " + _("part %(part)d of %(parts)d", part=i, parts=count)
        cells.append([QrCode(chunk, QR_SIZE), _p(caption, "label")])
    verify_url = current_app.config["ISSUER_URL"].rstrip("/") + "/verify"
    text: list[Flowable] = [
        _p(_("Is this record genuine?"), "group"),
        _p(
            _(
                "A school or child care can scan the code, or enter the verification code "
                "at %(url)s.",
                url=verify_url,
            ),
            "body",
        ),
    ]
    if count > 1:
        text.append(
            _p(_("Scan all %(count)d codes: each holds part of the record.", count=count), "body")
        )
    text += [
        Spacer(1, 6),
        _p(_("Verification code"), "label"),
        _p(group_for_reading(proof.short_code), "code"),
        Spacer(1, 4),
        # A datetime is shown in the registry's time zone, not UTC's.
        _p(_("Issued %(date)s", date=format_date(proof.issued_at, "long")), "small"),
    ]
    column = QR_SIZE + 12
    if count <= 2:  # the codes side by side, the words beside them
        widths = [column] * count + [WIDTH - column * count]
        table = Table([[*cells, text]], colWidths=widths)
    else:  # three codes a row, the words below them
        rows = [cells[i : i + 3] for i in range(0, count, 3)]
        rows = [row + [""] * (3 - len(row)) for row in rows] + [[text, "", ""]]
        table = Table(rows, colWidths=[WIDTH / 3] * 3)
        table.setStyle(TableStyle([("SPAN", (0, -1), (-1, -1))]))
    table.setStyle(
        TableStyle([("BOX", (0, 0), (-1, -1), 0.75, GRID), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    )
    return KeepTogether([table])


def _footer(view: RecordView, printed_on: date) -> Callable[[Canvas, int, int], None]:
    born = _("Born %(date)s", date=format_date(view.birth_date, "medium"))
    ident = _("Registry ID %(id)s", id=view.registry_id)
    printed = _("Printed %(date)s", date=format_date(printed_on, "medium"))
    fixed = printable(f"{born} · {ident}")
    name = printable(view.full_name)

    def draw(canvas: Canvas, page: int, pages: int) -> None:
        page_text = printable(
            _("Page %(page)d of %(pages)d", page=page, pages=pages) + f" · {printed}"
        )
        y = MARGIN
        canvas.saveState()
        canvas.setStrokeColor(GRID)
        canvas.line(MARGIN, y + 22, LETTER[0] - MARGIN, y + 22)
        room = FRAME_WIDTH - stringWidth(page_text, FONT, 8.5) - 18
        canvas.setFont(BOLD, 8.5)
        canvas.drawString(MARGIN, y + 10, fit(name, BOLD, 8.5, room))
        canvas.setFont(FONT, 8.5)
        canvas.drawString(MARGIN, y, fit(fixed, FONT, 8.5, room))
        canvas.drawRightString(LETTER[0] - MARGIN, y + 10, page_text)
        canvas.restoreState()

    return draw
