"""The timeline as geometry: no two marks overlap, and each mark stays inside its row's band."""

from __future__ import annotations

import itertools
import re
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.demo.dataset import build_dataset
from portal.records.services import record_view
from portal.records.timeline import MARK_HALF, Timeline, build_timeline
from portal.registry import DoseKind, Immunization, Patient, Sex

DEMO_TODAY = date(2026, 12, 1)


def _patient(birth: date, doses: list[tuple[str, date]]) -> Patient:
    """A record that never touches the database: the timeline needs only its doses."""
    return Patient(
        id=1, registry_id="CA00000001", first_name="Test", last_name="Child",
        birth_date=birth, sex=Sex.FEMALE, shared=True, disclosed=True,
        immunizations=[
            Immunization(id=i, cvx_code=cvx, given_on=on, kind=DoseKind.ADMINISTERED,
                         deleted=False)
            for i, (cvx, on) in enumerate(doses, start=1)
        ],
        tb_tests=[],
    )  # fmt: skip


def _demo_largest(today: date) -> Patient:
    spec = max(build_dataset(today).patients, key=lambda p: len(p.doses))
    return _patient(spec.birth_date, [(d.cvx, d.given_on) for d in spec.doses])


def assert_readable(timeline: Timeline) -> None:
    marks = []
    for row in timeline.rows:
        assert row.bottom <= timeline.axis_y, "a row runs into the age axis"
        for m in row.markers:
            left, top, right, bottom = m.box
            assert row.top <= top and bottom <= row.bottom, (row.group.name, m)
            assert 0 <= left and right <= timeline.width, (row.group.name, m)
            marks.append((row.group.name, m))
    for (ga, a), (gb, b) in itertools.combinations(marks, 2):
        al, at, ar, ab = a.box
        bl, bt, br, bb = b.box
        apart = ar <= bl or br <= al or ab <= bt or bb <= at
        assert apart, f"{ga} dose {a.number} overlaps {gb} dose {b.number}"
    for upper, lower in itertools.pairwise(timeline.rows):
        assert upper.bottom <= lower.top


@pytest.mark.parametrize("today", [DEMO_TODAY, date.today()])
def test_the_demos_largest_record_has_no_overlapping_marks(today: date) -> None:
    patient = _demo_largest(today)
    view = record_view(patient, "en", today)
    timeline = build_timeline(view)

    assert timeline is not None and len(view.doses) >= 45
    assert sum(len(r.markers) for r in timeline.rows) == sum(len(g.entries) for g in view.groups)
    assert_readable(timeline)


def test_marks_keep_their_true_age_and_share_a_row_only_when_apart() -> None:
    birth = date(2010, 1, 1)
    # Four doses of one group on one day, and one a decade later.
    patient = _patient(birth, [("140", birth + timedelta(days=400))] * 4
                       + [("140", birth + timedelta(days=3650))])  # fmt: skip
    timeline = build_timeline(record_view(patient, "en", date(2024, 1, 1)))

    assert timeline is not None
    (row,) = timeline.rows
    assert len(row.lanes) == 4 and len({m.x for m in row.markers[:4]}) == 1
    assert row.markers[4].y == row.lanes[0]  # the later dose goes back to the first lane
    assert_readable(timeline)


# Single and combination vaccines of many groups, and a code the portal does not know.
CVX = ["08", "110", "116", "133", "49", "140", "150", "03", "21", "83", "94", "115", "114",
       "208", "20", "10", "99999"]  # fmt: skip


@settings(max_examples=150, deadline=None, database=None)
@given(
    birth=st.dates(min_value=date(1950, 1, 1), max_value=date(2026, 1, 1)),
    doses=st.lists(
        st.tuples(st.sampled_from(CVX), st.integers(min_value=-30, max_value=30000)),
        min_size=1,
        max_size=80,
    ),
    after=st.integers(min_value=0, max_value=4000),
)
def test_any_record_has_no_overlapping_marks(
    birth: date, doses: list[tuple[str, int]], after: int
) -> None:
    dated = [(cvx, birth + timedelta(days=days)) for cvx, days in doses]
    today = max(on for _, on in dated) + timedelta(days=after)
    timeline = build_timeline(record_view(_patient(birth, dated), "en", today))

    assert timeline is not None
    assert_readable(timeline)


CIRCLE = re.compile(r'<circle cx="([\d.]+)" cy="([\d.]+)"')
BAND = re.compile(
    r'<rect class="row-band[^"]*" x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"'
)


def test_the_drawn_marks_are_the_laid_out_ones(client, make, parent, link_for) -> None:  # type: ignore[no-untyped-def]
    birth = date(2009, 1, 9)
    patient = make.patient(birth_date=birth)
    for days in range(3000, 6400, 200):  # yearly-ish flu shots where the scale is tight
        make.dose(patient, cvx_code="150", given_on=birth + timedelta(days=days))
    make.dose(patient, cvx_code="150", given_on=birth + timedelta(days=6200))
    link = link_for(parent, patient)

    html = client.get(f"/records/{link.id}").get_data(as_text=True)
    svg = html[html.index("<svg") : html.index("</svg>")]
    marks = svg.split('<g class="legend"')[0]
    centres = [(float(x), float(y)) for x, y in CIRCLE.findall(marks)]
    bands = [(float(y), float(y) + float(h)) for y, h in BAND.findall(svg)]

    assert len(centres) == 18 and len(bands) == 1
    for (xa, ya), (xb, yb) in itertools.combinations(centres, 2):
        assert abs(xa - xb) >= 2 * MARK_HALF or abs(ya - yb) >= 2 * MARK_HALF
    assert all(bands[0][0] <= y - MARK_HALF and y + MARK_HALF <= bands[0][1] for _, y in centres)
