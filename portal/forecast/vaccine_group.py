"""Chapter 9: identify and evaluate the vaccine group (single or multiple antigens)."""

from __future__ import annotations

from .model import PatientSeries, SeriesForecast, VaccineGroupForecast

ORDER = ["Contraindicated", "Aged out", "Not recommended", "Not complete"]


def merge_group(group: str, best: dict[str, PatientSeries], full_group: bool,
                positions: list[int]) -> VaccineGroupForecast:  # fmt: skip
    forecasts: list[SeriesForecast] = [ps.forecast for ps in best.values() if ps.forecast]
    statuses = {f.status for f in forecasts}
    status = "Complete" if forecasts else "Not recommended"  # no series applies (travel, risk)
    for candidate in ORDER:
        if candidate in statuses:
            status = candidate
            break
    else:
        if statuses and statuses <= {"Immune", "Complete"} and "Immune" in statuses:
            status = "Immune"
    open_ = [f for f in forecasts if f.status == "Not complete"]
    earliest = recommended = past_due = latest = None
    number = None
    if status == "Not complete" and open_:
        dates = [f.earliest for f in open_ if f.earliest]
        if len(best) > 1 and any(f.priority for f in open_):  # MULTIANTVG-1
            given = [d.given_on for ps in best.values() for d in ps.doses]
            earliest = max([min(dates), *given])
        else:
            earliest = max(dates)
        recs = [f.recommended for f in open_ if f.recommended]
        recommended = max(min(recs), earliest) if recs else earliest
        dues = [f.past_due for f in open_ if f.past_due]
        past_due = max(min(dues), earliest) if dues else None
        lates = [f.latest for f in open_ if f.latest]
        latest = min(lates) if lates else None
        numbers = [f.dose_number for f in open_ if f.dose_number]
        number = (min(numbers) if full_group else max(numbers)) if numbers else None
    return VaccineGroupForecast(group, status, number, earliest, recommended, past_due, latest,
                                group_evaluations(best, positions), best)  # fmt: skip


def group_evaluations(best: dict[str, PatientSeries],
                      positions: list[int]) -> dict[int, tuple[str, str | None]]:  # fmt: skip
    """Each dose's status for the group: not valid when not valid for one of its antigens,
    else valid when valid for one (a decennial Tdap is extraneous for pertussis alone)."""
    per: dict[int, list[tuple[str, str | None]]] = {p: [] for p in positions}
    for ps in best.values():
        for d in ps.doses:
            if d.status:
                per.setdefault(d.dose.position, []).append((d.status, d.reason))
    out: dict[int, tuple[str, str | None]] = {}
    for position, results in per.items():
        if not results:
            continue
        not_valid = [r for r in results if r[0] == "Not Valid"]
        if not_valid:
            out[position] = not_valid[0]
        elif any(r[0] == "Valid" for r in results):  # extraneous for one antigen only
            out[position] = ("Valid", None)
        else:
            out[position] = results[0]
    return out

