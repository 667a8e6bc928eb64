"""QR codes for the printed record, drawn as vectors so they stay crisp at any print size."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import Flowable

from portal.proof.cards import qr_matrix


def group_for_reading(code: str, size: int = 4) -> str:
    """'K7QF9M2X' -> 'K7QF 9M2X': short groups are easier to read out over the phone."""
    plain = "".join(c for c in code if c.isalnum()).upper()
    return " ".join(plain[i : i + size] for i in range(0, len(plain), size))


class QrCode(Flowable):
    """A QR code drawn as vector rectangles (crisp at any print size), quiet zone included."""

    def __init__(self, chunk: str, size: float) -> None:
        super().__init__()
        # The cards library makes the symbol the spec asks for (byte + numeric segments, level L).
        self.rows = qr_matrix(chunk, border=4)
        self.size = size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        rows = self.rows
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
