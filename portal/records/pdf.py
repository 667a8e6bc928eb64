"""The printable shot record, modelled on the California School Immunization Record (CDPH 286).

CCR Title 17 §6065 asks for the name, birth date, each vaccine with the date of
every dose, and who gave it; this builder prints those, the TB tests, the
registry id and the printing date, with "Page N of M" on every page, in the
reader's language. Address and phone are left off: the printout goes to
schools, which may not see them. Call it inside an app context (its words go
through Babel); it returns the PDF's bytes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from .labels import group_title, sex_label, tb_interpretation_label, tb_type_label
from .pages import fit, numbered_canvas
from .qr import QrCode, group_for_reading
from .services import RecordView

FONT, BOLD = "Helvetica", "Helvetica-Bold"
MARGIN = 0.6 * inch
FOOTER_SPACE = 0.45 * inch
FRAME_WIDTH = LETTER[0] - 2 * MARGIN
QR_SIZE = 2.1 * inch  # 1,195 JWS characters (2,390 digits) need ~version 22: 0.5 mm a module
GRID = colors.HexColor("#8a8f98")
SHADE = colors.HexColor("#e6eaf0")


@dataclass(frozen=True)
class PrintedProof:
    """A signed health card for the printout: its QR chunks and a code to read aloud."""

    qr_chunks: list[str]
    short_code: str
    issued_at: datetime


# Letters the standard fonts lack, where Unicode offers no decomposition to a plain letter.
_FALLBACKS = {"ı": "i", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ħ": "h", "Ħ": "H", "ŀ": "l"}


def printable(text: str) -> str:
    """The text in the PDF's WinAnsi font: 'Şahin' prints as 'Sahin', never as a crash or box."""
    try:
        text.encode("cp1252")
        return text
    except UnicodeEncodeError:
        pass
    out = []
    for ch in text:
        try:
            ch.encode("cp1252")
            out.append(ch)
            continue
        except UnicodeEncodeError:
            pass
        base = _FALLBACKS.get(ch) or "".join(
            c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
        )
        try:
            base.encode("cp1252")
            out.append(base or "?")
        except UnicodeEncodeError:
            out.append("?")
    return "".join(out)


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(printable(text)), style)


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12)
    return {
        "title": ParagraphStyle("title", fontName=BOLD, fontSize=18, leading=22),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=10.5, leading=13),
        "h2": ParagraphStyle("h2", fontName=BOLD, fontSize=12.5, leading=16, spaceBefore=10),
        "body": body,
        "label": ParagraphStyle("label", parent=body, fontName=BOLD),
        "head": ParagraphStyle("head", parent=body, fontName=BOLD, fontSize=9),
        "group": ParagraphStyle("group", parent=body, fontName=BOLD, fontSize=10),
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=10.5),
        "name": ParagraphStyle("name", fontName=BOLD, fontSize=14, leading=17),
        "long_name": ParagraphStyle("long_name", fontName=BOLD, fontSize=11, leading=13.5),
        "code": ParagraphStyle("code", fontName="Courier-Bold", fontSize=13, leading=16),
    }


def build_shot_record_pdf(
    view: RecordView, *, printed_on: date, proof: PrintedProof | None = None
) -> bytes:
    s = _styles()
    story: list[Flowable] = [
        _p(_("Shot record"), s["title"]),
        _p(_("Immunization record from the state immunization registry"), s["subtitle"]),
        Spacer(1, 8),
        _patient_table(view, s),
    ]
    if proof is not None:
        story += [Spacer(1, 10), _proof_block(proof, s)]
    elif not view.doses:
        # A school that expects a QR code must not take its absence for a cut-off one.
        story += [
            Spacer(1, 10),
            _p(
                _(
                    "This printout has no QR code because no vaccine doses are recorded. "
                    "A signed QR code is printed once the record holds at least one dose."
                ),
                s["body"],
            ),
        ]
    story += [_p(_("Vaccines"), s["h2"]), _vaccine_table(view, s)]
    story += [_p(_("TB tests"), s["h2"]), _tb_table(view, s)]
    story += [
        Spacer(1, 8),
        _p(
            _(
                "This record lists every vaccine dose and TB test reported to the state "
                "immunization registry as of %(date)s. A combination vaccine is listed under "
                "each disease it protects against.",
                date=format_date(printed_on, "long"),
            ),
            s["small"],
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


def _patient_table(view: RecordView, s: dict[str, ParagraphStyle]) -> Table:
    name_style = s["name"] if len(view.full_name) <= 60 else s["long_name"]
    rows = [
        [_p(_("Name"), s["label"]), _p(view.full_name, name_style)],
        [_p(_("Birth date"), s["label"]), _p(format_date(view.birth_date, "long"), s["body"])],
        [_p(_("Sex"), s["label"]), _p(sex_label(view.sex), s["body"])],
        [_p(_("Registry ID"), s["label"]), _p(view.registry_id, s["body"])],
    ]
    table = Table(rows, colWidths=[1.3 * inch, FRAME_WIDTH - 1.3 * inch])
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.75, GRID),
                ("LINEBELOW", (0, 0), (-1, -2), 0.25, GRID),
                ("BACKGROUND", (0, 0), (0, -1), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def _vaccine_table(view: RecordView, s: dict[str, ParagraphStyle]) -> Flowable:
    if not view.groups:
        return _p(_("No vaccine doses are recorded."), s["body"])
    widths = [0.62 * inch, 2.63 * inch, 1.15 * inch]  # "Dosis" must fit on one line
    widths.append(FRAME_WIDTH - sum(widths))
    header = [_p(t, s["head"]) for t in (_("Dose"), _("Vaccine"), _("Date given"), _("Given by"))]
    rows: list[list[Any]] = [header]
    commands: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("GRID", (0, 0), (-1, -1), 0.25, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONT", (0, 1), (-1, -1), FONT, 9.5, 12),
        ("TOPPADDING", (0, 1), (-1, -1), 3),
    ]
    for group in view.groups:
        here = len(rows)
        commands += [
            ("SPAN", (0, here), (-1, here)),
            ("LINEABOVE", (0, here), (-1, here), 1, colors.black),
            # A group's heading never ends a page without its first dose.
            ("NOSPLIT", (0, here), (-1, here + 1)),
        ]
        rows.append([_p(group_title(group), s["group"]), "", "", ""])
        for entry in group.entries:
            name = entry.dose.name
            if entry.also_counts_for:
                name += " — " + _(
                    "also counts for %(groups)s", groups=", ".join(entry.also_counts_for)
                )
            rows.append(
                [
                    # Short cells that never wrap stay plain strings: Paragraphs cost time.
                    str(entry.number),
                    _p(name, s["body"]),
                    printable(format_date(entry.dose.given_on, "medium")),
                    _p(entry.dose.given_by or _("Not recorded"), s["body"]),
                ]
            )
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(commands))
    return table


def _tb_table(view: RecordView, s: dict[str, ParagraphStyle]) -> Flowable:
    if not view.tb_tests:
        return _p(_("No TB tests are recorded."), s["body"])
    heads = (_("Test"), _("Placed"), _("Read"), _("Result"), _("Interpretation"), _("Given by"))
    rows: list[list[Any]] = [[_p(t, s["head"]) for t in heads]]
    for t in view.tb_tests:
        rows.append(
            [
                _p(tb_type_label(t.test_type), s["body"]),
                _p(format_date(t.placed_on, "medium"), s["body"]),
                _p(format_date(t.read_on, "medium") if t.read_on else "—", s["body"]),
                _p(t.result or "—", s["body"]),
                _p(tb_interpretation_label(t.interpretation), s["body"]),
                _p(t.given_by or _("Not recorded"), s["body"]),
            ]
        )
    widths = [1.25 * inch, 0.95 * inch, 0.95 * inch, 0.8 * inch, 1.05 * inch]
    widths.append(FRAME_WIDTH - sum(widths))
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("GRID", (0, 0), (-1, -1), 0.25, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _proof_block(proof: PrintedProof, s: dict[str, ParagraphStyle]) -> Flowable:
    count = len(proof.qr_chunks)
    cells: list[Any] = []
    for i, chunk in enumerate(proof.qr_chunks, start=1):
        caption = _("Scan to verify")
        if count > 1:
            caption += " — " + _("part %(part)d of %(parts)d", part=i, parts=count)
        cells.append([QrCode(chunk, QR_SIZE), _p(caption, s["label"])])
    verify_url = current_app.config["ISSUER_URL"].rstrip("/") + "/verify"
    text = [
        _p(_("Is this record genuine?"), s["group"]),
        _p(
            _(
                "A school or child care can scan the code, or enter the short code at %(url)s.",
                url=verify_url,
            ),
            s["body"],
        ),
        Spacer(1, 6),
        _p(_("Short code"), s["label"]),
        _p(group_for_reading(proof.short_code), s["code"]),
        Spacer(1, 4),
        # A datetime is shown in the registry's time zone, not UTC's.
        _p(_("Issued %(date)s", date=format_date(proof.issued_at, "long")), s["small"]),
    ]
    if count == 1:
        table = Table([[cells[0], text]], colWidths=[QR_SIZE + 12, FRAME_WIDTH - QR_SIZE - 12])
    else:  # three codes a row, the words below them
        rows = [cells[i : i + 3] for i in range(0, count, 3)]
        rows = [row + [""] * (3 - len(row)) for row in rows] + [[text, "", ""]]
        table = Table(rows, colWidths=[FRAME_WIDTH / 3] * 3)
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
