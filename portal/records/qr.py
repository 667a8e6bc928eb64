"""QR codes for the printed record, drawn as vectors so they stay crisp at any print size."""

from __future__ import annotations

import segno
from reportlab.lib import colors
from reportlab.platypus import Flowable
from segno.consts import MODE_BYTE, MODE_NUMERIC


def group_for_reading(code: str, size: int = 4) -> str:
    """'K7QF9M2X' -> 'K7QF 9M2X': short groups are easier to read out over the phone."""
    plain = "".join(c for c in code if c.isalnum()).upper()
    return " ".join(plain[i : i + size] for i in range(0, len(plain), size))


def make_qr(chunk: str) -> segno.QRCode:
    """A SMART Health Card QR: 'shc:/' (and any 'C/N/' part) in byte mode, the digits numeric."""
    if chunk.startswith("shc:/"):
        cut = chunk.rfind("/") + 1
        digits = chunk[cut:]
        if digits.isdigit():
            # segno takes per-segment modes only as its mode constants, not their names.
            segments = [(chunk[:cut], MODE_BYTE), (digits, MODE_NUMERIC)]
            return segno.make(segments, error="l", micro=False)
    return segno.make(chunk, error="l", micro=False)


class QrCode(Flowable):
    """A QR code drawn as vector rectangles (crisp at any print size), quiet zone included."""

    def __init__(self, chunk: str, size: float) -> None:
        super().__init__()
        self.qr = make_qr(chunk)
        self.size = size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        rows = [list(r) for r in self.qr.matrix_iter(scale=1, border=4)]
        module = self.size / len(rows)
        path = self.canv.beginPath()
        for y, row in enumerate(rows):
            top = self.size - (y + 1) * module
            x = 0
            while x < len(row):
                if not row[x]:
                    x += 1
                    continue
                start = x
                while x < len(row) and row[x]:
                    x += 1
                path.rect(start * module, top, (x - start) * module, module)
        self.canv.setFillColor(colors.black)
        self.canv.drawPath(path, stroke=0, fill=1)
