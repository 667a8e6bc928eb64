"""The days California's state offices are closed, 2025-2028, checked in as dates.

Source: California Government Code section 19853(a)-(b) and CalHR's published state
holiday schedule (calhr.ca.gov, "State Holidays"; HR Manual 2109, holidays for excluded
employees): New Year's Day, Martin Luther King Jr. Day, Presidents' Day, Cesar Chavez Day,
Memorial Day, Independence Day, Labor Day, Veterans Day, Thanksgiving and the day after,
Christmas Day. A holiday on a Sunday is observed the Monday after; one on a Saturday is
not a closure (staff get holiday credit instead), except Veterans Day, observed the Friday
before. Native American Day and the personal holiday are not office closures.

Written out by hand, not computed by a holiday library (which lists commemorative days
the offices are open). Add the next year's dates when CalHR publishes them; a date past
the end of this list counts as a working day unless it is a weekend.
"""

from __future__ import annotations

from datetime import date

FIRST_YEAR, LAST_YEAR = 2025, 2028

CLOSURES: frozenset[date] = frozenset(
    {
        date(2025, 1, 1),  # New Year's Day, Wed
        date(2025, 1, 20),  # Martin Luther King Jr. Day, Mon
        date(2025, 2, 17),  # Presidents' Day, Mon
        date(2025, 3, 31),  # Cesar Chavez Day, Mon
        date(2025, 5, 26),  # Memorial Day, Mon
        date(2025, 7, 4),  # Independence Day, Fri
        date(2025, 9, 1),  # Labor Day, Mon
        date(2025, 11, 11),  # Veterans Day, Tue
        date(2025, 11, 27),  # Thanksgiving Day, Thu
        date(2025, 11, 28),  # Day after Thanksgiving, Fri
        date(2025, 12, 25),  # Christmas Day, Thu
        date(2026, 1, 1),  # New Year's Day, Thu
        date(2026, 1, 19),  # Martin Luther King Jr. Day, Mon
        date(2026, 2, 16),  # Presidents' Day, Mon
        date(2026, 3, 31),  # Cesar Chavez Day, Tue
        date(2026, 5, 25),  # Memorial Day, Mon
        # Independence Day 2026 is a Saturday: holiday credit, offices open on Friday 3rd
        date(2026, 9, 7),  # Labor Day, Mon
        date(2026, 11, 11),  # Veterans Day, Wed
        date(2026, 11, 26),  # Thanksgiving Day, Thu
        date(2026, 11, 27),  # Day after Thanksgiving, Fri
        date(2026, 12, 25),  # Christmas Day, Fri
        date(2027, 1, 1),  # New Year's Day, Fri
        date(2027, 1, 18),  # Martin Luther King Jr. Day, Mon
        date(2027, 2, 15),  # Presidents' Day, Mon
        date(2027, 3, 31),  # Cesar Chavez Day, Wed
        date(2027, 5, 31),  # Memorial Day, Mon
        date(2027, 7, 5),  # Independence Day (observed; the 4th is a Sunday), Mon
        date(2027, 9, 6),  # Labor Day, Mon
        date(2027, 11, 11),  # Veterans Day, Thu
        date(2027, 11, 25),  # Thanksgiving Day, Thu
        date(2027, 11, 26),  # Day after Thanksgiving, Fri
        # Christmas Day 2027 and New Year's Day 2028 are Saturdays: holiday credit only
        date(2028, 1, 17),  # Martin Luther King Jr. Day, Mon
        date(2028, 2, 21),  # Presidents' Day, Mon
        date(2028, 3, 31),  # Cesar Chavez Day, Fri
        date(2028, 5, 29),  # Memorial Day, Mon
        date(2028, 7, 4),  # Independence Day, Tue
        date(2028, 9, 4),  # Labor Day, Mon
        date(2028, 11, 10),  # Veterans Day (observed; the 11th is a Saturday), Fri
        date(2028, 11, 23),  # Thanksgiving Day, Thu
        date(2028, 11, 24),  # Day after Thanksgiving, Fri
        date(2028, 12, 25),  # Christmas Day, Mon
    }
)
