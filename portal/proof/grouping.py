"""The doses of a checked card as the paper shows them: a row per vaccine (no Flask here).

Rows follow the California School Immunization Record (CDPH 286): polio,
DTaP/Tdap/Td, hepatitis B, MMR, Hib, varicella, then the other vaccines, then
codes the portal does not know (one row per code). A combination dose appears
in each row it counts for; dates run across in order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from portal.registry.vaccines import VaccineGroup, groups_for

CDPH_286_ORDER = (
    VaccineGroup.POLIO,
    VaccineGroup.DTAP,
    VaccineGroup.HEPB,
    VaccineGroup.MMR,
    VaccineGroup.HIB,
    VaccineGroup.VARICELLA,
)
ORDER = CDPH_286_ORDER + tuple(g for g in VaccineGroup if g not in CDPH_286_ORDER)


@dataclass(frozen=True)
class VaccineRow:
    group: VaccineGroup | None  # None: a code the portal does not know (see `cvx`)
    cvx: str | None  # set only for an unknown code's row
    doses: tuple[Any, ...]  # CheckedDose, in date order

    def is_combination(self, dose: Any) -> bool:
        return len(groups_for(dose.cvx or "")) > 1


def _when(dose: Any) -> tuple[date, str]:
    return (dose.given_on or date.max, dose.occurred or "")


def rows_by_vaccine(doses: Sequence[Any]) -> list[VaccineRow]:
    """A row per vaccine group in CDPH 286 order; `doses` need `cvx`, `given_on`, `occurred`."""
    by_group: dict[VaccineGroup, list[Any]] = defaultdict(list)
    unknown: dict[str | None, list[Any]] = defaultdict(list)
    for dose in doses:
        groups = groups_for(dose.cvx or "")
        for group in groups:
            by_group[group].append(dose)
        if not groups:
            unknown[dose.cvx].append(dose)
    rows = [
        VaccineRow(group, None, tuple(sorted(by_group[group], key=_when)))
        for group in ORDER
        if group in by_group
    ]
    rows += [
        VaccineRow(None, cvx, tuple(sorted(found, key=_when)))
        for cvx, found in sorted(unknown.items(), key=lambda item: item[0] or "")
    ]
    return rows
