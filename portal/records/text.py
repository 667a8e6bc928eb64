"""What every part of the printout shares: its fonts, colours, and text the fonts can print."""

from __future__ import annotations

import unicodedata

from reportlab.lib import colors
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth

from .fonts import BOLD, FONT, unicode_ok

__all__ = ["BOLD", "FONT", "printable", "wrapped"]

GRID = colors.HexColor("#8a8f98")
SHADE = colors.HexColor("#e6eaf0")

# Letters the standard fonts lack, where Unicode offers no decomposition to a plain letter.
_FALLBACKS = {"ı": "i", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ħ": "h", "Ħ": "H", "ŀ": "l"}


def printable(text: str) -> str:
    """The text in the PDF's font: as it is in a TrueType font (fonts.py); in the WinAnsi
    fallback 'Şahin' prints as 'Sahin', never as a crash or box."""
    if unicode_ok():
        return text
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


def wrapped(text: str, width: float, font: str = FONT, size: float = 8.5) -> str:
    """The text broken into lines that fit `width`, for a plain table cell: a Paragraph
    would do the same at many times the cost. A word longer than a line is broken."""
    text = printable(text)
    if "\n" not in text and stringWidth(text, font, size) <= width:
        return text
    lines = []
    for line in simpleSplit(text, font, size, width):
        while stringWidth(line, font, size) > width and len(line) > 1:
            cut = len(line) - 1
            while cut > 1 and stringWidth(line[:cut], font, size) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
        lines.append(line)
    return "\n".join(lines)
