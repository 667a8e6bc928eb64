"""California's school and child-care requirements through portal.forecast.school.check."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.forecast.dates import add_months
from portal.forecast.school import REQUIREMENTS, check

BORN = date(2019, 3, 10)
FIRST = date(2020, 3, 10)  # 1st birthday
FOURTH = date(2023, 3, 10)
SEVENTH = date(2026, 3, 10)
DAY = timedelta(days=1)

# CVX codes: 10 IPV, 20 DTaP, 115 Tdap, 113 Td, 8 hep B, 3 MMR, 21 varicella, 94 MMRV,
# 110 DTaP-HepB-IPV, 130 DTaP-IPV, 120 DTaP-IPV/Hib, 48 Hib
INFANT = [(c, date(2019, 5, 10)) for c in ("10", "20", "8", "48")] + \
    [(c, date(2019, 7, 10)) for c in ("10", "20", "8", "48")] + \
    [(c, date(2019, 9, 10)) for c in ("10", "20", "8")] + \
    [("20", date(2020, 6, 10)), ("48", date(2020, 6, 10))]  # fmt: skip
MMR_VAR = [("3", FIRST), ("21", FIRST), ("3", FOURTH), ("21", FOURTH)]
READY = INFANT + MMR_VAR + [("10", FOURTH), ("20", FOURTH)]  # 4 polio, 5 DTaP


def k12(doses, as_of=date(2024, 8, 1), born=BORN):
    return check(born, doses, "k12_entry", as_of)


def test_a_child_with_every_dose_meets_k12_entry():
    result = k12(READY)
    assert result.met and result.missing == frozenset() and result.next_due is None
    assert result.requirement == "k12_entry" and result.as_of == date(2024, 8, 1)


def test_the_fourth_birthday_exception_for_polio_and_dtap():
    without_fourth = [d for d in READY if d[0] not in ("10", "20") or d[1] != FOURTH]
    assert k12(without_fourth).missing == {"polio", "dtap"}
    # 3 polio and 4 DTaP are enough when the last one is on/after the 4th birthday
    late = [d for d in without_fourth if d != ("10", date(2019, 9, 10))]
    late = [d for d in late if d != ("20", date(2020, 6, 10))] + [("10", FOURTH), ("20", FOURTH)]
    assert k12(late).met
    # 4 days early still counts; 5 days early does not
    for early, met in ((4, True), (5, False)):
        shifted = [d for d in late if d[1] != FOURTH] + [
            ("10", FOURTH - early * DAY), ("20", FOURTH - early * DAY), ("3", FOURTH),
            ("21", FOURTH)]  # fmt: skip
        assert k12(shifted).met is met, early
        if not met:
            assert k12(shifted).missing == {"polio", "dtap"}


def test_the_seventh_birthday_exception_td_tdap_catch_up():
    # a child starting late: 3 Td/Tdap doses, one on/after the 7th birthday, are enough
    born = date(2015, 1, 1)
    seventh = date(2022, 1, 1)
    base = [("10", date(2021, 6, 1)), ("10", date(2021, 8, 1)), ("10", date(2022, 3, 1)),
            ("8", date(2021, 6, 1)), ("8", date(2021, 8, 1)), ("8", date(2022, 3, 1)),
            ("3", date(2021, 6, 1)), ("3", date(2021, 8, 1)),
            ("21", date(2021, 6, 1)), ("21", date(2021, 8, 1))]  # fmt: skip
    td = [("115", date(2021, 6, 1)), ("113", date(2021, 8, 1)), ("113", seventh)]
    assert k12(base + td, date(2022, 9, 1), born).met
    # without one on/after the 7th birthday, 3 are short (4 needed: one after the 4th)
    early_td = td[:2] + [("113", seventh - 5 * DAY)]
    result = k12(base + early_td, date(2022, 9, 1), born)
    assert result.missing == {"dtap"}
    assert k12(base + td[:2], date(2022, 9, 1), born).missing == {"dtap"}


def test_mmr_and_varicella_before_the_first_birthday_do_not_count():
    before = [d for d in READY if d[1] != FIRST] + [("3", FIRST - 5 * DAY),
                                                   ("21", FIRST - 5 * DAY)]  # fmt: skip
    result = k12(before)
    assert result.missing == {"mmr", "varicella"}
    assert result.next_due == date(2024, 8, 1)  # may be given now (never before as_of)
    grace = [d for d in READY if d[1] != FIRST] + [("3", FIRST - 4 * DAY),
                                                  ("21", FIRST - 4 * DAY)]  # fmt: skip
    assert k12(grace).met


def test_next_due_comes_from_the_forecast_or_the_minimum_interval():
    # MMR dose 1 on the 1st birthday, dose 2 missing: the engine's earliest for MMR dose 2
    # is its minimum age, 13 months (the soonest of the missing antigens)
    doses = INFANT + [("3", FIRST), ("21", FIRST), ("21", date(2020, 7, 1))]
    result = k12(doses, as_of=date(2020, 3, 20))
    assert "mmr" in result.missing
    assert result.next_due == date(2020, 4, 10)
    # a 6-year-old with no Tdap at 7th-12th entry: the dose waits for the 7th birthday
    result = check(BORN, READY, "grade7_12_entry", date(2025, 8, 1))
    assert result.missing == {"tdap"}
    assert result.next_due is not None and result.next_due >= SEVENTH - 4 * DAY


def test_combination_vaccines_count_for_each_part():
    combos = [("110", date(2019, 5, 10)), ("110", date(2019, 7, 10)),
              ("110", date(2019, 9, 10)), ("120", date(2020, 6, 10)),
              ("94", FIRST), ("94", FOURTH), ("130", FOURTH)]  # fmt: skip
    assert k12(combos).met
    assert check(BORN, combos, "childcare", date(2021, 1, 1)).met
    # MMRV alone: MMR and varicella; DTaP-IPV: DTaP and polio (no hep B)
    only = k12([("94", FIRST), ("94", FOURTH), ("130", FOURTH)])
    assert only.missing == {"polio", "dtap", "hepb"}
    # leading zeros and codes the schedule does not know are harmless
    assert k12([("03", FIRST), ("3", FOURTH), ("999", FOURTH)]).missing == {
        "polio", "dtap", "hepb", "varicella"}  # fmt: skip


def test_grade7_12_entry_adds_a_pertussis_dose_on_or_after_the_seventh_birthday():
    as_of = date(2031, 8, 1)
    assert check(BORN, READY, "grade7_12_entry", as_of).missing == {"tdap"}
    for cvx in ("115", "20"):  # Tdap, or a DTaP after the 7th birthday
        assert check(BORN, READY + [(cvx, date(2030, 3, 10))], "grade7_12_entry", as_of).met
    # Td carries no pertussis
    td = check(BORN, READY + [("113", date(2030, 3, 10))], "grade7_12_entry", as_of)
    assert td.missing == {"tdap"}
    assert check(BORN, READY + [("115", SEVENTH - 4 * DAY)], "grade7_12_entry", as_of).met
    assert not check(BORN, READY + [("115", SEVENTH - 5 * DAY)], "grade7_12_entry", as_of).met


def test_grade7_advancement_needs_tdap_and_two_varicella_not_hep_b():
    as_of = date(2031, 8, 1)
    doses = [("115", date(2030, 4, 1)), ("21", FIRST), ("21", FOURTH)]
    assert check(BORN, doses, "grade7_advancement", as_of).met
    result = check(BORN, doses[:2], "grade7_advancement", as_of)
    assert result.missing == {"varicella"} and result.next_due == as_of
    assert check(BORN, [], "grade7_advancement", as_of).missing == {"tdap", "varicella"}


def test_childcare_minimums():
    as_of = date(2021, 1, 1)
    assert check(BORN, INFANT + [("3", FIRST), ("21", FIRST)], "childcare", as_of).met
    no_hib = [d for d in INFANT if d[0] != "48"] + [("3", FIRST), ("21", FIRST)]
    assert check(BORN, no_hib, "childcare", as_of).missing == {"hib"}
    # Hib only before the 1st birthday does not count
    early_hib = [d for d in INFANT if d != ("48", date(2020, 6, 10))] + [
        ("3", FIRST), ("21", FIRST)]  # fmt: skip
    assert check(BORN, early_hib, "childcare", as_of).missing == {"hib"}
    assert check(BORN, [], "childcare", as_of).missing == {
        "polio", "dtap", "hepb", "hib", "mmr", "varicella"}  # fmt: skip


def test_doses_after_as_of_do_not_count_and_an_unknown_requirement_is_refused():
    assert not k12(READY, as_of=date(2023, 3, 1)).met
    with pytest.raises(ValueError):
        check(BORN, READY, "college", date(2024, 8, 1))


CVX = st.sampled_from(["3", "03", "8", "10", "20", "21", "48", "94", "110", "113", "115",
                       "120", "130", "146", "999", "", "x"])  # fmt: skip
DATES = st.dates(date(1990, 1, 1), date(2040, 12, 31))


@settings(max_examples=150, deadline=None)
@given(
    born=DATES,
    doses=st.lists(st.tuples(CVX, DATES), max_size=25),
    as_of=DATES,
    requirement=st.sampled_from(REQUIREMENTS),
)
def test_never_raises_on_any_dose_list(born, doses, as_of, requirement):
    result = check(born, doses, requirement, as_of)
    assert result.met == (not result.missing)
    assert (result.next_due is None) == result.met
    assert result.next_due is None or result.next_due >= as_of
    assert result.missing <= {"polio", "dtap", "tdap", "hepb", "mmr", "varicella", "hib"}


def test_childcare_asks_what_table_a_asks_at_the_childs_age():
    def months(n: int) -> date:
        return add_months(BORN, n)

    def missing(doses: list[tuple[str, date]], on: date) -> frozenset[str]:
        return check(BORN, doses, "childcare", on).missing

    everything = frozenset({"polio", "dtap", "hepb", "hib"})
    assert check(BORN, [], "childcare", months(2) - DAY).met  # under 2 months: nothing yet
    assert missing([], months(2)) == everything
    two_months = [(c, months(2)) for c in ("10", "20", "8", "48")]  # IPV, DTaP, HepB, Hib
    assert check(BORN, two_months, "childcare", months(4) - DAY).met
    assert missing(two_months, months(4)) == everything  # 4-5 months: two of each
    four_months = two_months + [(c, months(4)) for c in ("10", "20", "8", "48")]
    assert check(BORN, four_months, "childcare", months(6) - DAY).met
    # 6-14 months: a third DTaP only (a 10-month-old is not asked for MMR or varicella)
    assert missing(four_months, months(10)) == {"dtap"}
    six_months = four_months + [("20", months(6))]
    assert check(BORN, six_months, "childcare", months(15) - DAY).met
    # 15-17 months: a third polio, MMR, Hib on/after the 1st birthday, varicella
    assert missing(six_months, months(15)) == {"polio", "mmr", "hib", "varicella"}
    toddler = six_months + [("10", months(6)), ("03", FIRST), ("48", FIRST), ("21", FIRST)]
    assert check(BORN, toddler, "childcare", months(18) - DAY).met
    # 18 months on: a fourth DTaP and a third hep B
    assert missing(toddler, months(18)) == {"dtap", "hepb"}
    assert check(BORN, toddler + [("20", months(16)), ("8", months(16))], "childcare",
                 months(18)).met  # fmt: skip


def test_childcare_next_due_for_a_baby_short_of_a_dose():
    result = check(BORN, [], "childcare", add_months(BORN, 3))
    assert not result.met and result.next_due == add_months(BORN, 3)
