"""portal.forecast.status on hand-made histories: each stage, its dates and the summary."""

from datetime import date, timedelta

from portal.forecast.model import VaccineGroupForecast
from portal.forecast.status import (
    DUE_SOON_DAYS,
    Reason,
    Stage,
    Summary,
    group_status,
    record_status,
)

BIRTH = date(2024, 3, 1)
# On schedule to 15 months: HepB at birth, 2, 6 months; DTaP, IPV, Hib, PCV at 2, 4, 6
# months; rotavirus 2, 4; MMR, varicella, HepA, the 4th Hib and PCV at 12 months.
ON_TIME = [
    ("08", date(2024, 3, 1)),
    *[(cvx, day) for day in (date(2024, 5, 1), date(2024, 7, 1), date(2024, 9, 1))
      for cvx in ("20", "10", "49", "133")],
    ("08", date(2024, 5, 1)), ("08", date(2024, 9, 1)),
    ("116", date(2024, 5, 1)), ("116", date(2024, 7, 1)),
    *[(cvx, date(2025, 3, 1)) for cvx in ("03", "21", "83", "49", "133")],
]  # fmt: skip


def by_group(status):
    return {g.group: g for g in status.groups}


def test_a_newborn_with_no_shots_is_due_for_hep_b_then_overdue():
    on_day_one = by_group(record_status(BIRTH, [], BIRTH))
    assert on_day_one["HepB"].stage == Stage.DUE
    assert on_day_one["HepB"].recommended == BIRTH
    assert on_day_one["HepB"].dose_number == 1
    later = record_status(BIRTH, [], date(2024, 4, 15))
    assert by_group(later)["HepB"].stage == Stage.OVERDUE
    assert by_group(later)["HepB"].reason == Reason.PAST_DUE
    assert later.summary == Summary.OVERDUE


def test_due_soon_within_the_window_and_later_beyond_it():
    hep_b = record_status(BIRTH, [("08", BIRTH)], date(2024, 3, 10))
    second = by_group(hep_b)["HepB"]
    assert second.dose_number == 2
    assert second.recommended == date(2024, 4, 1)  # one month old
    assert second.stage == Stage.DUE_SOON and second.reason == Reason.COMING
    # the 2-month shots (DTaP, polio, Hib, PCV, rotavirus) are more than 30 days away
    assert by_group(hep_b)["Polio"].stage == Stage.LATER
    assert hep_b.summary == Summary.DUE_SOON


def test_a_child_on_schedule_is_up_to_date_with_the_next_doses_later():
    status = record_status(BIRTH, ON_TIME, date(2025, 3, 20))
    groups = by_group(status)
    assert groups["HepB"].stage == Stage.COMPLETE
    assert groups["Rotavirus"].stage in (Stage.COMPLETE, Stage.NOT_NEEDED)
    assert groups["MMR"].stage == Stage.LATER and groups["MMR"].dose_number == 2
    assert groups["MMR"].earliest == date(2025, 4, 1)  # 13 months old
    assert groups["MMR"].recommended == date(2028, 3, 1)  # 4 years old
    # Flu is due every season from 6 months: the only thing due
    assert {g.group for g in status.groups if g.stage in (Stage.DUE, Stage.OVERDUE)} <= {
        "Influenza", "COVID-19", "DTaP/Tdap/Td"}
    assert groups["Zoster"].stage == Stage.LATER


def test_the_list_starts_with_the_most_pressing():
    status = record_status(BIRTH, [("08", BIRTH)], date(2025, 6, 1))
    ranks = [list(Stage).index(g.stage) for g in status.groups]
    assert ranks == sorted(ranks)
    assert status.groups[0].stage == Stage.OVERDUE
    assert status.open and all(g.stage not in (Stage.COMPLETE, Stage.NOT_NEEDED)
                               for g in status.open)  # fmt: skip


def test_aged_out_is_not_needed():
    # Rotavirus cannot be started after 15 weeks: a one-year-old with none does not need it
    groups = by_group(record_status(BIRTH, [], date(2025, 3, 1)))
    assert groups["Rotavirus"].stage == Stage.NOT_NEEDED
    assert groups["Rotavirus"].reason == Reason.AGED_OUT


def test_the_stage_boundaries_from_one_forecast():
    forecast = VaccineGroupForecast("MMR", "Not complete", 2, date(2025, 1, 1), date(2025, 2, 1),
                                    date(2025, 3, 1), None, {}, {})  # fmt: skip
    soon_edge = date(2025, 2, 1) - timedelta(days=DUE_SOON_DAYS)
    assert group_status("MMR", forecast, soon_edge - timedelta(days=1)).stage == Stage.LATER
    assert group_status("MMR", forecast, soon_edge).stage == Stage.DUE_SOON
    assert group_status("MMR", forecast, date(2025, 1, 31)).stage == Stage.DUE_SOON
    assert group_status("MMR", forecast, date(2025, 2, 1)).stage == Stage.DUE
    assert group_status("MMR", forecast, date(2025, 2, 28)).stage == Stage.DUE
    overdue = group_status("MMR", forecast, date(2025, 3, 1))
    assert overdue.stage == Stage.OVERDUE
    assert overdue.due_by == date(2025, 2, 28)
    for status, stage, reason in [("Complete", Stage.COMPLETE, Reason.COMPLETE),
                                  ("Immune", Stage.COMPLETE, Reason.IMMUNE),
                                  ("Contraindicated", Stage.NOT_NEEDED, Reason.CONTRAINDICATED),
                                  ("Not recommended", Stage.NOT_NEEDED,
                                   Reason.NOT_RECOMMENDED)]:  # fmt: skip
        done = VaccineGroupForecast("MMR", status, None, None, None, None, None, {}, {})
        assert (group_status("MMR", done, date(2025, 3, 1)).stage,
                group_status("MMR", done, date(2025, 3, 1)).reason) == (stage, reason)


def test_the_version_in_use_is_given():
    assert record_status(BIRTH, [], BIRTH).schedule_version == "4.64"
