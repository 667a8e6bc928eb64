"""Chapter 4 (processing model): gather the history and organise it by antigen.

A combination vaccine counts as one dose for each antigen the CVX map gives it, where the
patient's age on the day falls within the association's begin and end ages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from .dates import add
from .model import AntigenDose, DoseAdministered, Patient
from .supporting import SupportingData, cvx_key


def gather_history(doses: Iterable[tuple[str, date]]) -> list[DoseAdministered]:
    rows = [DoseAdministered(i, given_on, cvx_key(cvx)) for i, (cvx, given_on) in enumerate(doses)]
    return sorted(rows, key=lambda d: (d.given_on, d.position))


def organize_by_antigen(patient: Patient, history: list[DoseAdministered],
                        data: SupportingData) -> dict[str, list[DoseAdministered]]:  # fmt: skip
    by_antigen: dict[str, list[DoseAdministered]] = defaultdict(list)
    for dose in history:
        for assoc in data.cvx_antigens.get(dose.cvx, ()):
            if assoc.begin_age and dose.given_on < add(patient.birth_date, assoc.begin_age):
                continue
            if assoc.end_age and dose.given_on >= add(patient.birth_date, assoc.end_age):
                continue
            by_antigen[assoc.antigen].append(dose)
    return by_antigen


def antigen_doses(antigen: str, doses: list[DoseAdministered]) -> list[AntigenDose]:
    return [AntigenDose(d, antigen) for d in doses]
