"""Read a PDF back with poppler's command-line tools, as a person printing it would see it."""

from __future__ import annotations

import re
import subprocess


def pdf_text(data: bytes, page: int | None = None) -> str:
    """The text of the PDF (or of one page), with runs of whitespace made single spaces."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run(
        ["pdftotext", *pages, "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    return " ".join(out.split())


def pdf_pages(data: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True)
    match = re.search(r"^Pages:\s+(\d+)", info.stdout.decode(), re.M)
    assert match, "pdfinfo found no page count"
    return int(match.group(1))


def pdf_png(data: bytes, page: int = 1, dpi: int = 150) -> bytes:
    return subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-"],
        input=data,
        capture_output=True,
        check=True,
    ).stdout
