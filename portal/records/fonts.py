"""The printout's font for each language: TrueType fonts embedded in the PDF.

English, Spanish and Tagalog print in Helvetica (the PDF standard font, WinAnsi). Vietnamese
needs letters WinAnsi lacks (ế, ư, đ...): DejaVu Sans (Debian's fonts-dejavu-core). Chinese and
Korean print in WenQuanYi Zen Hei (Debian's fonts-wqy-zenhei), a TrueType .ttc reportlab
embeds; reportlab's CID fonts are not embedded (boxes on many readers) and Noto CJK's .ttc
has PostScript outlines reportlab refuses. scripts/test.sh installs both packages.

Without the font file the printout falls back to Helvetica, logs a warning naming the
package, and prints what WinAnsi cannot as '?' (text.printable): readable, never a crash.

The PDF's code names the fonts FONT and BOLD (text.py); `use(family)` points those names at
the language's faces for one build, under a lock, since reportlab's font table is global.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

log = logging.getLogger(__name__)

FONT, BOLD = "Portal", "Portal-Bold"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
WQY = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")


@dataclass(frozen=True)
class Faces:
    regular: pdfmetrics.Font | TTFont
    bold: pdfmetrics.Font | TTFont
    unicode: bool  # False: WinAnsi only, text.printable replaces the rest


_LOCK = threading.RLock()
_FACES: dict[str, Faces] = {}
_current = threading.local()


def _helvetica() -> Faces:
    return Faces(
        pdfmetrics.Font(FONT, "Helvetica", "WinAnsiEncoding"),
        pdfmetrics.Font(BOLD, "Helvetica-Bold", "WinAnsiEncoding"),
        unicode=False,
    )


def _load(family: str) -> Faces:
    try:
        if family == "vietnamese":
            return Faces(
                TTFont(FONT, str(DEJAVU / "DejaVuSans.ttf")),
                TTFont(BOLD, str(DEJAVU / "DejaVuSans-Bold.ttf")),
                unicode=True,
            )
        if family == "cjk":  # one weight only: bold prints as regular (one face, one subset)
            face = TTFont(FONT, str(WQY), subfontIndex=0)
            return Faces(face, face, unicode=True)
    except (OSError, TTFError):  # no such file, or one reportlab cannot read
        package = "fonts-dejavu-core" if family == "vietnamese" else "fonts-wqy-zenhei"
        log.warning(
            "The %s printout font is missing: printing in Helvetica, its letters as '?'. "
            "Install Debian's %s (scripts/test.sh does).", family, package,
        )  # fmt: skip
    return _helvetica()


def faces(family: str) -> Faces:
    with _LOCK:
        if family not in _FACES:
            _FACES[family] = _load(family)
        return _FACES[family]


def _bind(chosen: Faces) -> None:
    # registerFont never replaces a TrueType font already known under a name, so the
    # names are pointed at the faces in reportlab's table itself.
    pdfmetrics._fonts[FONT] = chosen.regular  # noqa: SLF001
    pdfmetrics._fonts[BOLD] = chosen.bold  # noqa: SLF001


@contextmanager
def use(family: str) -> Iterator[Faces]:
    """FONT and BOLD print in `family`'s faces for the block (one build at a time)."""
    with _LOCK:
        chosen = faces(family)
        _bind(chosen)
        previous = getattr(_current, "faces", None)
        _current.faces = chosen
        try:
            yield chosen
        finally:
            _current.faces = previous
            _bind(previous or faces("latin"))


def unicode_ok() -> bool:
    """Whether the font in use prints any letter (not only WinAnsi's)."""
    current = getattr(_current, "faces", None)
    return bool(current and current.unicode)


# Helvetica under the portal's names from the start, for code that measures text outside a build;
# <b> in a paragraph maps FONT to BOLD whichever faces the names point at, so map it once.
with _LOCK:
    _bind(faces("latin"))
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, BOLD)
    addMapping(FONT, 0, 1, FONT)
    addMapping(FONT, 1, 1, BOLD)
