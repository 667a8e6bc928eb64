"""`portal translate`: extract strings, update the catalogs, compile them (around pybabel)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "portal" / "translations"


def _pybabel(*args: str) -> None:
    # pybabel with Tagalog taught to Babel first (languages.register_tagalog: no `tl` in CLDR).
    run = "from portal.languages import register_tagalog; register_tagalog(); " \
          "import sys; from babel.messages.frontend import main; sys.argv[0] = 'pybabel'; main()"
    subprocess.run([sys.executable, "-c", run, *args], check=True, cwd=ROOT)  # noqa: S603


@click.group(help="Manage the translation catalogs.")
def translate() -> None:
    pass


@translate.command(help="Extract strings and merge them into every catalog.")
def update() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        pot = str(Path(tmp) / "messages.pot")
        _pybabel("extract", "-F", "babel.cfg", "-k", "_l", "--no-location",
                 "--sort-output", "-o", pot, ".")  # fmt: skip
        _pybabel("update", "-i", pot, "-d", str(TRANSLATIONS), "--no-fuzzy-matching")


@translate.command(help="Start a catalog for a new language.")
@click.argument("lang")
def init(lang: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        pot = str(Path(tmp) / "messages.pot")
        _pybabel("extract", "-F", "babel.cfg", "-k", "_l", "--no-location", "-o", pot, ".")
        _pybabel("init", "-i", pot, "-d", str(TRANSLATIONS), "-l", lang)


@translate.command(help="Compile the catalogs to .mo files (committed, so installs need no step).")
def compile() -> None:  # noqa: A001
    _pybabel("compile", "-d", str(TRANSLATIONS), "--statistics")
