"""The record page's rows that repeat per dose, as ready strings for the template.

A record of forty doses has some eighty such rows (each dose once in every
group it counts for, in the tables and on the timeline). Each row's words and
numbers are made here in one call, so the template spends a tuple per row
instead of a dozen look-ups and calls; the markup stays in the template.
Strings that the template would have translated are made the way the
template makes them (`Words.markup`), so the page stays byte for byte the same.
"""

from __future__ import annotations

from typing import NamedTuple

from markupsafe import Markup

from .labels import Words
from .services import GroupView
from .timeline import Row


class DoseRow(NamedTuple):
    number: int
    name: str
    also_counts_for: Markup | None  # for a combination vaccine only
    given_on: str
    age: str
    given_by: str | Markup
    lot: str


class MarkRow(NamedTuple):
    title: Markup
    combination: bool
    diamond: str
    x: float
    y: float
    number: int


class RecordRows:
    """Rows for one request's page, in its reader's words."""

    def __init__(self, words: Words) -> None:
        self.words = words
        self.not_recorded = words.markup("Not recorded")

    def doses(self, group: GroupView) -> list[DoseRow]:
        words, not_recorded = self.words, self.not_recorded
        _ = words.markup
        return [
            DoseRow(
                entry.number,
                entry.dose.name,
                _("Also counts for: %(groups)s", groups=", ".join(entry.also_counts_for))
                if entry.dose.is_combination
                else None,
                words.date(entry.dose.given_on),
                words.age_label(entry.dose.age),
                entry.dose.given_by or not_recorded,
                entry.dose.lot_number or "—",
            )
            for entry in group.entries
        ]

    def marks(self, row: Row, label: str) -> list[MarkRow]:
        words, entries = self.words, row.group.entries
        _ = words.markup
        marks = []
        for m in row.markers:
            dose = entries[m.entry_index].dose
            title = _(
                "%(group)s dose %(number)d: %(vaccine)s, %(date)s, at %(age)s",
                group=label,
                number=m.number,
                vaccine=dose.name,
                date=words.date(dose.given_on),
                age=words.age_label(dose.age),
            )
            marks.append(MarkRow(title, m.combination, m.diamond, m.x, m.y, m.number))
        return marks
