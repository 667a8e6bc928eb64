"""The record page's parts that repeat per dose, as ready markup for the template.

A record of forty doses has some eighty rows that repeat (each dose once in every
group it counts for, in the tables and on the timeline), plus the timeline's
bands, lanes and age ticks. Written as template loops they were most of the
page's cost: Jinja yields every piece of text and escapes every value on its
own, some 2,600 pieces and 1,300 escapes a page. Here each row is one
f-string, and only the values that are text are escaped (numbers and the
timeline's coordinates cannot hold markup).

Each piece below is the exact text the template loop it replaces wrote, its
whitespace included, so the page stays byte for byte the same
(tests/records/test_golden.py). Translated words are made the way the template
makes them (`Words.markup`: the translation is markup, its variables escaped).
"""

from __future__ import annotations

from markupsafe import Markup, escape

from .labels import Words
from .services import DoseView, GroupView
from .timeline import Row, Timeline

# The dose table's row: the body of the loop in show.html's <tbody>.
_DOSE_ROW = (
    "\n        <tr>"
    '\n          <th scope="row" data-label="{dose}">{number}</th>'
    '\n          <td data-label="{vaccine}">{name}'
    "\n            {combination}"
    "\n          </td>"
    '\n          <td data-label="{date}">{given_on}</td>'
    '\n          <td data-label="{age}">{age_value}</td>'
    '\n          <td data-label="{given_by}">{given_by_value}</td>'
    '\n          <td data-label="{lot}">{lot_value}</td>'
    "\n        </tr>"
    "\n      "
)
_COMBINATION = (
    '\n            <span class="combo-note"><strong>{word}</strong> {groups}</span>\n            '
)
# The timeline's pieces (records/_timeline.html).
_BAND = (
    '\n  <rect class="row-band{shaded}" x="0" y="{top}" width="{width}" height="{height}"'
    ' fill="{fill}" fill-opacity="0.06"/>\n  '
)
_TICK = (
    '\n  <line x1="{x}" y1="{top}" x2="{x}" y2="{bottom}" stroke="#c9ced6" stroke-width="1"/>'
    '\n  <text x="{x}" y="{y}" text-anchor="middle" fill="#4a4a4a" font-size="11">{label}</text>'
    "\n  "
)
_ROW_LABEL = (
    '\n  <text x="{x}" y="{y}" text-anchor="end" fill="#1b1b1b" font-weight="600">{label}</text>'
    "\n  "
)
_LANE = (
    '\n  <line x1="{left}" y1="{y}" x2="{right}" y2="{y}" stroke="#c9ced6"'
    ' stroke-dasharray="2 3"/>\n  '
)
_MARK = (
    "\n  \n  <g>\n    <title>{title}</title>\n    {shape}"
    '\n    <text x="{x}" y="{text_y}" text-anchor="middle" font-size="9.5" font-weight="700"'
    ' fill="#1b1b1b">{number}</text>\n  </g>\n  '
)
_DIAMOND = (
    '\n    <polygon points="{points}" fill="#ffffff" stroke="#0b4f8a" stroke-width="2"/>\n    '
)
_CIRCLE = (
    '\n    <circle cx="{x}" cy="{y}" r="7.5" fill="#ffffff" stroke="#0b4f8a"'
    ' stroke-width="2"/>\n    '
)


class RecordRows:
    """Rows for one request's page, in its reader's words."""

    def __init__(self, words: Words) -> None:
        self.words = words
        _ = words.markup
        self.not_recorded = _("Not recorded")
        # The same words the template puts in the tables' headings.
        self._row_words = {
            "dose": _("Dose"),
            "vaccine": _("Vaccine"),
            "date": _("Date given"),
            "age": _("Age"),
            "given_by": _("Given by"),
            "lot": _("Lot"),
        }
        self._combination_word = _("Combination vaccine.")
        # Formatted per mark with values escaped here, as Words.markup would (labels.py).
        gettext = words.translations.ugettext
        self._mark_title = gettext("%(group)s dose %(number)d: %(vaccine)s, %(date)s (%(age)s)")
        self._texts: dict[int, tuple[Markup, Markup, Markup]] = {}

    def _text(self, dose: DoseView) -> tuple[Markup, Markup, Markup]:
        """A dose's name, date and age, escaped once (a combination is in several rows)."""
        text = self._texts.get(dose.id)
        if text is None:
            words = self.words
            text = self._texts[dose.id] = (
                escape(dose.name),
                escape(words.date(dose.given_on)),
                escape(words.age_label(dose.age)),
            )
        return text

    def dose_rows(self, group: GroupView) -> Markup:
        """The rows of one group's table, each dose a row."""
        words, not_recorded = self.words, self.not_recorded
        _ = words.markup
        labels, combination_word = self._row_words, self._combination_word
        out = []
        for entry in group.entries:
            dose = entry.dose
            name, given_on, age = self._text(dose)
            combination = ""
            if dose.is_combination:
                also = _("Also counts for: %(groups)s", groups=", ".join(entry.also_counts_for))
                combination = _COMBINATION.format(word=combination_word, groups=also)
            out.append(
                _DOSE_ROW.format(
                    number=entry.number,
                    name=name,
                    combination=combination,
                    given_on=given_on,
                    age_value=age,
                    given_by_value=escape(dose.given_by) if dose.given_by else not_recorded,
                    lot_value=escape(dose.lot_number or "—"),
                    **labels,
                )
            )
        return Markup("".join(out))  # noqa: S704 - every value above is escaped or markup

    def bands(self, timeline: Timeline) -> Markup:
        """Every row's light band, drawn first so that the age ticks go over them."""
        width = timeline.width
        return Markup(  # noqa: S704 - numbers only
            "".join(
                _BAND.format(
                    shaded=" shaded" if row.shaded else "",
                    top=row.top,
                    width=width,
                    height=row.height,
                    fill="#0b4f8a" if row.shaded else "none",
                )
                for row in timeline.rows
            )
        )

    def ticks(self, timeline: Timeline) -> Markup:
        """The age ticks with their labels, on two staggered lines."""
        tick_label, axis_y = self.words.tick_label, timeline.axis_y
        return Markup(  # noqa: S704 - the labels are escaped, the rest are numbers
            "".join(
                _TICK.format(
                    x=tick.x,
                    top=timeline.plot_top,
                    bottom=axis_y + 5,
                    y=axis_y + (34 if tick.lower else 19),
                    label=escape(tick_label(tick.months)),
                )
                for tick in timeline.ticks
            )
        )

    def rows(self, timeline: Timeline) -> Markup:
        """Each group's row: its name, its lanes, and a mark per dose with its tooltip."""
        return Markup("".join(self._row(timeline, row) for row in timeline.rows))  # noqa: S704

    def _row(self, timeline: Timeline, row: Row) -> str:
        label = self.words.group_short(row.group)
        left, right = timeline.plot_left, timeline.plot_right
        parts = [_ROW_LABEL.format(x=left - 16, y=row.y + 4, label=escape(label))]
        parts += [_LANE.format(left=left, right=right, y=lane) for lane in row.lanes]
        parts.append("\n  ")
        parts += self._marks(row, label)
        parts.append("\n  ")
        return "".join(parts)  # its text escaped, the titles markup

    def _marks(self, row: Row, label: str) -> list[str]:
        entries, group, title_text = row.group.entries, escape(label), self._mark_title
        marks = []
        for m in row.markers:
            vaccine, date, age = self._text(entries[m.entry_index].dose)
            values = {"group": group, "number": m.number, "vaccine": vaccine, "date": date}
            title = title_text % {**values, "age": age}
            if m.combination:
                shape = _DIAMOND.format(points=escape(m.diamond))
            else:
                shape = _CIRCLE.format(x=m.x, y=m.y)
            marks.append(
                _MARK.format(title=title, shape=shape, x=m.x, text_y=m.y + 3.5, number=m.number)
            )
        return marks
