"""URL converters. `<id:name>` is every database id in a URL.

Werkzeug's `int` accepts any number of digits (and any Unicode digit), so an id of
2**63 or more reached the database, where SQLite's driver cannot bind it (a 500), and
on PostgreSQL, whose INTEGER columns hold 32 bits, so did any id from 2**31. An id
outside the range of the narrower database names no row: it is answered 404 by
routing, before any view runs. (If the ids become BIGINT, ID_MAX can be 2**63 - 1:
tests/test_untrusted_input.py checks the id columns' type.)
"""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter, ValidationError

ID_MIN = 1
ID_MAX = 2**31 - 1  # INTEGER on PostgreSQL (SQLite's INTEGER holds 64 bits)
_MAX_DIGITS = len(str(ID_MAX))


class IdConverter(IntegerConverter):
    regex = r"[0-9]+"  # ASCII digits only: `\d` would take other scripts' digits too

    def __init__(self, map, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(map, min=ID_MIN, max=ID_MAX)

    def to_python(self, value: str) -> int:
        # Checked before int(): a number of thousands of digits is slow to convert.
        if len(value) > _MAX_DIGITS:
            raise ValidationError()
        return super().to_python(value)  # type: ignore[no-any-return]


def register(app: Flask) -> None:
    app.url_map.converters["id"] = IdConverter
