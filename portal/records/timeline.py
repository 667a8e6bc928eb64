"""Where each dose sits on the record page's timeline: one row per vaccine group, x = age.

Only geometry lives here (no Flask, no markup); the template draws it as an
inline SVG. The age axis is a square-root scale so that the many shots of the
first two years do not pile up on top of each other, with age ticks that say
what the scale does.

A mark stays at its true age. Marks of one row that would touch (two doses on
one day, yearly flu shots where the scale is tight) go to the next lane of
that row, and the row grows one lane taller for it, so no mark hides another
or strays into the next row, however many doses a record holds.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from .services import GroupView, RecordView

WIDTH = 800
LABEL_WIDTH = 150  # room for a 16-character group name in bold on the left
RIGHT_PAD = 24
TOP = 16
AXIS_SPACE = 56  # ticks and two staggered lines of age labels
LEGEND_SPACE = 44  # two lines: the legend must fit in Spanish too
MARK_HALF = 9.5  # half the box of a mark: the diamond's 8.5 plus half its 2 px stroke
MARK_GAP = 1.0  # the least room between two marks' boxes
LANE_HEIGHT = 2 * MARK_HALF + MARK_GAP
ROW_PAD = 5.0  # above the first lane and below the last: a one-lane row is 30 high
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

    @property
    def box(self) -> tuple[float, float, float, float]:
        """The ink of the mark, stroke included: (left, top, right, bottom)."""
        h = MARK_HALF
        return (self.x - h, self.y - h, self.x + h, self.y + h)


@dataclass(frozen=True, slots=True)
class Row:
    group: GroupView
    top: float
    height: float
    lanes: tuple[float, ...]  # the y of each lane's centre line
    markers: tuple[Marker, ...]
    shaded: bool  # every other row has a light band, so a tall row reads as one

    @property
    def bottom(self) -> float:
        return self.top + self.height

    @property
    def y(self) -> float:
        """The middle of the row, where its name sits."""
        return round(self.top + self.height / 2, 1)


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
    top = float(TOP)
    for i, group in enumerate(view.groups):
        xs = [x_for((e.dose.given_on - view.birth_date).days) for e in group.entries]
        lanes = assign_lanes(xs, 2 * MARK_HALF + MARK_GAP)
        count = max(lanes) + 1
        centres = tuple(top + ROW_PAD + LANE_HEIGHT * (k + 0.5) for k in range(count))
        markers = tuple(
            Marker(x, centres[lane], entry.number, entry.dose.is_combination, entry_index=index)
            for index, (entry, x, lane) in enumerate(zip(group.entries, xs, lanes, strict=True))
        )
        height = 2 * ROW_PAD + LANE_HEIGHT * count
        rows.append(Row(group, top, height, centres, markers, shaded=i % 2 == 1))
        top += height

    axis_y = top + 6
    return Timeline(
        width=WIDTH,
        height=int(math.ceil(axis_y + AXIS_SPACE + LEGEND_SPACE)),
        plot_left=left,
        plot_right=right,
        plot_top=TOP,
        axis_y=axis_y,
        legend_y=axis_y + AXIS_SPACE,
        rows=tuple(rows),
        ticks=_ticks(span_days, x_for),
    )


def assign_lanes(xs: list[float], spacing: float) -> list[int]:
    """For marks in age order, the lowest lane whose last mark is at least `spacing` to the left."""
    ends: list[float] = []  # the x of the last mark in each lane
    lanes = []
    for x in xs:
        lane = next((k for k, end in enumerate(ends) if x - end >= spacing), len(ends))
        if lane == len(ends):
            ends.append(x)
        else:
            ends[lane] = x
        lanes.append(lane)
    return lanes


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
