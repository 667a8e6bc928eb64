"""The status the pages show, kept per process (forecast/status.kept_record_status)."""

from __future__ import annotations


def test_the_pages_status_is_computed_once_per_inputs_and_anew_for_a_new_dose_or_day() -> None:
    from datetime import date, timedelta

    from portal.forecast.status import kept_record_status, record_status

    born, today = date(2024, 1, 10), date(2024, 6, 1)
    doses = [("08", date(2024, 1, 10)), ("20", date(2024, 3, 12))]
    first = kept_record_status(born, doses, today)
    assert kept_record_status(born, list(doses), today) is first  # kept
    assert first == record_status(born, doses, today)  # the same answer as computed
    more = kept_record_status(born, [*doses, ("20", date(2024, 5, 14))], today)
    added = [*doses, ("20", date(2024, 5, 14))]
    assert more is not first and more == record_status(born, added, today)
    later = kept_record_status(born, doses, today + timedelta(days=1))
    assert later.today == today + timedelta(days=1)
