"""Where each bar of the supervisor's chart sits: open requests per kind and age bucket.

Geometry only (no Flask, no markup); the template draws it as an inline SVG. One group
per kind, one horizontal bar per age bucket, each bar with its bucket's words and its
number in text beside it and a fill pattern of its own (solid, stripes, dots, empty),
so the chart reads without colour; the table beside it holds the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from .figures import BUCKETS, Figures
from .models import RequestKind

WIDTH = 320  # a phone's width: the chart is drawn at its size, never squeezed
LABEL_WIDTH = 92  # the bucket's words, right-aligned before the bar
BAR_LEFT = LABEL_WIDTH + 8
COUNT_ROOM = 44  # the number after the longest bar
BAR_ROOM = WIDTH - BAR_LEFT - COUNT_ROOM
HEADING = 24  # a kind's name above its bars
ROW = 22
BAR_HEIGHT = 14
GROUP_GAP = 10
PATTERNS = ("solid", "stripes", "dots", "empty")  # one per bucket, in BUCKETS order


@dataclass(frozen=True, slots=True)
class Bar:
    bucket: str  # the AgeBucket key
    pattern: str
    count: int
    x: float
    y: float  # top of the bar
    width: float
    label_y: float  # text baseline of the bucket's words and the count


@dataclass(frozen=True, slots=True)
class Group:
    kind: RequestKind
    heading_y: float
    bars: tuple[Bar, ...]


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: float
    bar_left: float
    groups: tuple[Group, ...]


def chart(figures: Figures) -> Chart:
    largest = max((c for counts in figures.open_by_age.values() for c in counts), default=0)
    scale = BAR_ROOM / largest if largest else 0.0
    groups, top = [], 0.0
    for kind, counts in figures.open_by_age.items():
        heading_y = top + 16
        bars = []
        for index, (bucket, count) in enumerate(zip(BUCKETS, counts, strict=True)):
            y = top + HEADING + index * ROW
            bars.append(
                Bar(
                    bucket=bucket.key,
                    pattern=PATTERNS[index],
                    count=count,
                    x=BAR_LEFT,
                    y=y,
                    # A bar of one request still shows; none is no bar, its 0 in text.
                    width=round(max(count * scale, 2.0) if count else 0.0, 1),
                    label_y=y + BAR_HEIGHT - 3,
                )
            )
        groups.append(Group(kind, heading_y, tuple(bars)))
        top += HEADING + len(BUCKETS) * ROW + GROUP_GAP
    return Chart(WIDTH, top, BAR_LEFT, tuple(groups))
