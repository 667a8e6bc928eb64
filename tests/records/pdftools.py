"""Read a PDF back with poppler's command-line tools, as a person printing it would see it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest


def _poppler(tool: str, *args: str, data: bytes) -> bytes:
    """Run a poppler tool; without poppler-utils skip the test, except in CI (it must run there)."""
    if shutil.which(tool) is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{tool} is missing (apt-get install poppler-utils); CI must run PDF tests")
        pytest.skip(f"{tool} is missing: apt-get install poppler-utils")
    return subprocess.run([tool, *args], input=data, capture_output=True, check=True).stdout


def pdf_text(data: bytes, page: int | None = None) -> str:
    """The text of the PDF (or of one page), with runs of whitespace made single spaces."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = _poppler("pdftotext", *pages, "-", "-", data=data).decode()
    return " ".join(out.split())


def pdf_pages(data: bytes) -> int:
    info = _poppler("pdfinfo", "-", data=data)
    match = re.search(r"^Pages:\s+(\d+)", info.decode(), re.M)
    assert match, "pdfinfo found no page count"
    return int(match.group(1))


def pdf_png(data: bytes, page: int = 1, dpi: int = 150) -> bytes:
    pages = ["-f", str(page), "-l", str(page)]
    return _poppler("pdftoppm", "-png", "-r", str(dpi), *pages, "-", data=data)
