"""The engine's data: patient, doses administered, target doses, patient series, forecasts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Patient:
    birth_date: date
    gender: str = ""  # "F", "M" or "" (unknown)
    observations: frozenset[str] = frozenset()  # CDSi observation codes ("042" smokes ...)


@dataclass(frozen=True)
class DoseAdministered:
    """One row of the immunization history (before combination vaccines are split)."""

    position: int  # its place in the history as given
    given_on: date
    cvx: str


@dataclass
class AntigenDose:
    """A dose administered as it counts for one antigen (chapter 4: organize history)."""

    dose: DoseAdministered
    antigen: str
    status: str | None = None  # "Valid", "Not Valid", "Extraneous"
    reason: str | None = None
    inadvertent: bool = False
    target: int | None = None  # index of the target dose it satisfied

    @property
    def given_on(self) -> date:
        return self.dose.given_on

    @property
    def cvx(self) -> str:
        return self.dose.cvx


@dataclass
class SeriesForecast:
    # "Not complete", "Complete", "Aged out", "Immune", "Contraindicated", "Not recommended"
    status: str
    dose_number: int | None = None
    earliest: date | None = None
    recommended: date | None = None
    past_due: date | None = None
    latest: date | None = None
    unadjusted_recommended: date | None = None
    unadjusted_past_due: date | None = None
    reason: str = ""
    priority: bool = False  # FORECASTPRIORITY-1


@dataclass
class PatientSeries:
    antigen: str
    series: dict[str, Any]
    doses: list[AntigenDose] = field(default_factory=list)
    # the target doses met so far, in order: (series dose index, "Satisfied" or "Skipped",
    # the dose that satisfied it); a recurring series dose appears once per dose
    targets_met: list[tuple[int, str, AntigenDose | None]] = field(default_factory=list)
    satisfied: dict[int, AntigenDose] = field(default_factory=dict)  # latest per series dose
    next_target: int = 0
    forecast: SeriesForecast | None = None

    @property
    def name(self) -> str:
        return str(self.series.get("seriesName"))

    @property
    def select(self) -> dict[str, Any]:
        return self.series.get("selectSeries") or {}

    @property
    def valid_count(self) -> int:
        return sum(1 for d in self.doses if d.status == "Valid")

    @property
    def complete(self) -> bool:
        return self.forecast is not None and self.forecast.status in ("Complete", "Immune")


@dataclass
class VaccineGroupForecast:
    group: str
    status: str
    dose_number: int | None
    earliest: date | None
    recommended: date | None
    past_due: date | None
    latest: date | None
    evaluations: dict[int, tuple[str, str | None]]  # history position -> (status, reason)
    best: dict[str, PatientSeries]
