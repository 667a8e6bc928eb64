"""Where each dose sits on the record page's timeline: one row per vaccine group, x = age.

Only geometry lives here (no Flask, no markup); the template draws it as an
inline SVG. The age axis is a square-root scale so that the many shots of the
first two years do not pile up on top of each other, with age ticks that say
what the scale does.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from .services import GroupView, RecordView

WIDTH = 640
LABEL_WIDTH = 150  # room for a 16-character group name in bold on the left
RIGHT_PAD = 24
ROW_HEIGHT = 30
TOP = 16
AXIS_SPACE = 56  # ticks and two staggered lines of age labels
LEGEND_SPACE = 44  # two lines: the legend must fit in Spanish too
MARKER_GAP = 15  # closer marks in a row are nudged up and down so both stay visible
LABEL_ROOM = 58  # the width an age label needs; crowded ticks use a second line or none
TICK_MONTHS = (0, 2, 4, 6, 12, 24, 48, 84, 132, 192, 240, 360, 480, 600, 720, 840, 960)


@dataclass(frozen=True, slots=True)
class Marker:
    x: float
    y: float
    number: int
    combination: bool
    entry_index: int  # into the row's group entries, for the mark's tooltip

    @property
    def diamond(self) -> str:
        """SVG points of the combination vaccines' diamond."""
        x, y, r = self.x, self.y, 8.5
        return f"{x},{y - r} {x + r},{y} {x},{y + r} {x - r},{y}"


@dataclass(frozen=True, slots=True)
class Row:
    group: GroupView
    y: float
    markers: tuple[Marker, ...]


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    months: int
    lower: bool  # label on the second line, clear of its neighbour on the first


@dataclass(frozen=True, slots=True)
class Timeline:
    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_top: float
    axis_y: float
    legend_y: float
    rows: tuple[Row, ...]
    ticks: tuple[Tick, ...]


def build_timeline(view: RecordView) -> Timeline | None:
    """The timeline's geometry, or None for a record without doses."""
    if not view.doses:
        return None
    last = max(view.today, *(d.given_on for d in view.doses))
    span_days = max((last - view.birth_date).days, 60)
    left, right = float(LABEL_WIDTH), float(WIDTH - RIGHT_PAD)

    def x_for(days: int) -> float:
        share = math.sqrt(min(max(days, 0), span_days) / span_days)
        return round(left + share * (right - left), 1)

    rows = []
    for i, group in enumerate(view.groups):
        y = TOP + ROW_HEIGHT * i + ROW_HEIGHT / 2
        markers: list[Marker] = []
        for index, entry in enumerate(group.entries):
            x = x_for((entry.dose.given_on - view.birth_date).days)
            crowded = bool(markers) and x - markers[-1].x < MARKER_GAP
            nudge = (-11 if len(markers) % 2 else 11) if crowded else 0
            markers.append(
                Marker(x, y + nudge, entry.number, entry.dose.is_combination, entry_index=index)
            )
        rows.append(Row(group, y, tuple(markers)))

    axis_y = TOP + ROW_HEIGHT * len(rows) + 6
    return Timeline(
        width=WIDTH,
        height=int(axis_y + AXIS_SPACE + LEGEND_SPACE),
        plot_left=left,
        plot_right=right,
        plot_top=TOP,
        axis_y=axis_y,
        legend_y=axis_y + AXIS_SPACE,
        rows=tuple(rows),
        ticks=_ticks(span_days, x_for),
    )


def _ticks(span_days: int, x_for: Callable[[int], float]) -> tuple[Tick, ...]:
    ticks: list[Tick] = []
    last_on_line = {False: -math.inf, True: -math.inf}
    for months in TICK_MONTHS:
        days = round(months * 30.44)
        if days > span_days:
            break
        x = x_for(days)
        for lower in (False, True):
            if x - last_on_line[lower] >= LABEL_ROOM:
                ticks.append(Tick(x, months, lower))
                last_on_line[lower] = x
                break
    return tuple(ticks)
