"""Page furniture for the printed record: a canvas that knows the page count, a line that fits,
and a paragraph of one line drawn as one string."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph


def fit(text: str, font: str, size: float, width: float) -> str:
    """The text, cut with an ellipsis to fit the width (a footer line cannot wrap)."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def numbered_canvas(footer: Callable[[Canvas, int, int], None]) -> type[Canvas]:
    """A canvas that holds its pages back until the end, so each can say 'Page N of M'."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held)
            for state in self._held:
                self.__dict__.update(state)
                footer(self, self._pageNumber, total)
                super().showPage()
            super().save()

    return NumberedCanvas


class Line(Flowable):
    """Plain text in a paragraph style, drawn as one string where it fits on one line
    (as a Paragraph would draw it, for a fraction of the cost), else a Paragraph."""

    def __init__(self, text: str, style: ParagraphStyle) -> None:
        super().__init__()
        self.text = " ".join(text.split())  # a Paragraph's spacing: runs of white space as one
        self.style = style  # read by reportlab for the space before and keep-with-next
        self._paragraph: Paragraph | None = None

    def _fits(self, width: float) -> bool:
        s = self.style
        room = width - s.leftIndent - s.rightIndent - s.firstLineIndent
        return stringWidth(self.text, s.fontName, s.fontSize) <= room

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if self._fits(avail_width):
            self._paragraph = None
            self.width, self.height = avail_width, self.style.leading
            return self.width, self.height
        self._paragraph = Paragraph(escape(self.text), self.style)
        return self._paragraph.wrap(avail_width, avail_height)

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        if self._paragraph is None and self._fits(avail_width):
            return []  # one line does not split
        return Paragraph(escape(self.text), self.style).split(avail_width, avail_height)

    def draw(self) -> None:
        if self._paragraph is not None:
            self._paragraph.drawOn(self.canv, 0, 0)
            return
        s = self.style
        self.canv.setFont(s.fontName, s.fontSize, s.leading)
        self.canv.setFillColor(s.textColor)
        # Where a Paragraph puts its first line: one font size below its top.
        self.canv.drawString(s.leftIndent + s.firstLineIndent, self.height - s.fontSize, self.text)
