"""QR codes for the printed record, drawn as vectors so they stay crisp at any print size."""

from __future__ import annotations

import re

from reportlab.platypus import Flowable

from portal.proof.cards import make_qr

QUIET_ZONE = 4  # modules of light margin the standard asks for around the symbol
_DARK_RUN = re.compile(rb"\x01+")


def group_for_reading(code: str, size: int = 4) -> str:
    """'K7QF9M2X' -> 'K7QF 9M2X': short groups are easier to read out over the phone."""
    plain = "".join(c for c in code if c.isalnum()).upper()
    return " ".join(plain[i : i + size] for i in range(0, len(plain), size))


class QrCode(Flowable):
    """A QR code drawn as vector rectangles (crisp at any print size), quiet zone included."""

    def __init__(self, chunk: str, size: float) -> None:
        super().__init__()
        # The cards library makes the symbol the spec asks for (level L, smallest version).
        self.modules = make_qr(chunk).modules
        self.size = size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        # One rectangle per run of dark modules, written as PDF operators in one string:
        # reportlab's path object formats each number through several calls, which took
        # longer than the rest of the page for a version-22 code.
        count = len(self.modules)
        module = self.size / (count + 2 * QUIET_ZONE)
        # Drawn in module units, so that every number is a small integer.
        ops = [f"q {module:.5f} 0 0 {module:.5f} 0 0 cm 0 g"]
        for y, row in enumerate(self.modules):
            bottom = count - 1 - y + QUIET_ZONE
            ops += [
                f"{run.start() + QUIET_ZONE} {bottom} {run.end() - run.start()} 1 re"
                for run in _DARK_RUN.finditer(row)
            ]
        ops.append("f Q")
        self.canv.addLiteral("\n".join(ops))
