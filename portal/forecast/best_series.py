"""Chapter 5 (create relevant patient series) and chapter 8 (select the best patient series).

Relevant: standard (and evaluation-only) series whose required gender fits; risk series
when the patient has one of their indications (an observation). Chapter 8 per series
group (pre-filter, one prioritized series, scoring), then table 8-14 across the groups.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .dates import add
from .model import Patient, PatientSeries


def relevant_series(antigen: str, data: dict[str, Any], patient: Patient,
                    assessment: date) -> list[dict[str, Any]]:  # fmt: skip
    out = []
    for series in data.get("series") or []:
        kind = (series.get("seriesType") or "").strip().lower()
        if kind == "risk" and not indicated(series, patient, assessment):
            continue
        genders = {g.strip().lower()[:1] for g in series.get("requiredGender") or [] if g}
        if genders and (patient.gender.lower()[:1] or "u") not in genders:
            continue
        out.append(series)
    return out


def indicated(series: dict[str, Any], patient: Patient, assessment: date) -> bool:
    """A risk series applies when the patient has one of its indications (an observation)
    at an age within the indication's begin and end ages (CALCDTIND-1/2)."""
    for ind in series.get("indication") or []:
        code = (ind.get("observationCode") or {}).get("code")
        if code not in patient.observations:
            continue
        if ind.get("beginAge") and assessment < add(patient.birth_date, ind["beginAge"]):
            continue
        if ind.get("endAge") and assessment >= add(patient.birth_date, ind["endAge"]):
            continue
        return True
    return False


def _preference(ps: PatientSeries) -> tuple[int, str]:
    sel = ps.select
    try:
        pref = int(sel.get("seriesPreference") or 99)
    except ValueError:
        pref = 99
    return pref, str(sel.get("seriesPriority") or "Z")


def _can_start(ps: PatientSeries, patient: Patient, assessment: date) -> bool:
    sel = ps.select
    if sel.get("minAgeToStart") and assessment < add(patient.birth_date, sel["minAgeToStart"]):
        return False
    if sel.get("maxAgeToStart") and assessment >= add(patient.birth_date, sel["maxAgeToStart"]):
        return False
    return True


def _satisfied(ps: PatientSeries) -> int:
    """SELECTB-21: the target doses satisfied."""
    return sum(1 for _, status, _ in ps.targets_met if status == "Satisfied")


def _not_satisfied(ps: PatientSeries) -> int:
    return max(len(ps.series.get("seriesDose") or []) - ps.next_target, 0)


def _finish(ps: PatientSeries) -> date | None:
    """SELECTB-12: the forecast's earliest date plus the latest minimum interval of the
    target doses left after it."""
    if ps.forecast is None or ps.forecast.earliest is None:
        return None
    targets = ps.series.get("seriesDose") or []
    longest = None
    for target in targets[ps.next_target + 1:]:
        for interval in target.get("interval") or []:
            if isinstance(interval, dict) and interval.get("minInt"):
                day = add(ps.forecast.earliest, interval["minInt"])
                longest = day if longest is None or day > longest else longest
    return longest or ps.forecast.earliest


def _completable(ps: PatientSeries, patient: Patient) -> bool:
    """SELECTB-3: the forecast finish date is before the last target dose's maximum age."""
    if ps.complete:
        return True
    if ps.forecast is None or ps.forecast.status != "Not complete":
        return False
    targets = ps.series.get("seriesDose") or []
    ages = targets[-1].get("age") or [] if targets else []
    max_age = next((a.get("maxAge") for a in ages if a.get("maxAge")), None)
    finish = _finish(ps)
    return max_age is None or finish is None or finish < add(patient.birth_date, max_age)


def _award(flags: list[bool], yes: int, no: int, shared: int | None = 0) -> list[int]:
    """Points for one condition: `yes` for the one series it holds for (`shared` when it
    holds for two or more; None: no sharing rule), `no` where it does not hold."""
    count = sum(flags)
    return [(yes if count == 1 or shared is None else shared) if f else no for f in flags]


def _scores(pool: list[PatientSeries], kind: str, patient: Patient) -> list[int]:
    scores = [0] * len(pool)

    def add_points(points: list[int]) -> None:
        for i, p in enumerate(points):
            scores[i] += p

    valid = [_satisfied(ps) for ps in pool]
    if kind == "complete":
        add_points(_award([v == max(valid) for v in valid], 1, -1))
        return scores
    product = [(ps.select.get("productPath") or "").lower() == "yes" for ps in pool]
    completable = [_completable(ps, patient) for ps in pool]
    if kind == "in-process":
        all_valid = [all(d.status == "Valid" for d in ps.doses) for ps in pool]
        add_points(_award([p and a for p, a in zip(product, all_valid, strict=True)], 2, -2,
                          None))  # fmt: skip
        add_points(_award(completable, 3, -3, None))
        add_points(_award([v == max(valid) for v in valid], 2, -2))
        left = [_not_satisfied(ps) for ps in pool]
        add_points(_award([n == min(left) for n in left], 2, -2))
        finishes = [_finish(ps) if c else None for ps, c in zip(pool, completable, strict=True)]
        known = [f for f in finishes if f]
        add_points(_award([f is not None and f == min(known) for f in finishes], 1, -1))
        return scores
    starts = [ps.forecast.earliest if ps.forecast else None for ps in pool]
    known = [d for d in starts if d]
    add_points(_award([d is not None and d == min(known) for d in starts], 1, -1))
    add_points(_award(completable, 1, -1, None))
    add_points([-1 if p else 1 for p in product])
    return scores


def _first_valid_before_max_start(ps: PatientSeries, patient: Patient) -> bool:
    valid = [d.given_on for d in ps.doses if d.status == "Valid"]
    if not valid:
        return False
    max_start = ps.select.get("maxAgeToStart")
    return max_start is None or min(valid) < add(patient.birth_date, max_start)


def select_best(candidates: list[PatientSeries], patient: Patient,
                assessment: date) -> PatientSeries | None:  # fmt: skip
    """Chapter 8: a prioritized series per series group, then the best of them (8.8).

    Where standard series groups are not equivalent (pneumococcal: childhood and 50+), the
    engine keeps one answer per antigen: a contraindicated or immune one, then a series the
    patient can act on now, then a complete one, then an aged-out one, then one the patient
    may start only later; at the same rank a risk series before a standard one (CDC's
    underlying-condition cases expect the risk series' forecast).
    """
    groups: dict[str, list[PatientSeries]] = {}
    for ps in candidates:
        groups.setdefault(str(ps.select.get("seriesGroup") or ""), []).append(ps)
    prioritized = [p for p in (select_in_group(g, patient) for g in groups.values()) if p]
    chosen = [p for p in prioritized if is_best(p, prioritized)]
    if len(chosen) <= 1:
        return chosen[0] if chosen else None

    def rank(ps: PatientSeries) -> int:
        status = ps.forecast.status if ps.forecast else ""
        if status in ("Contraindicated", "Immune"):
            return -1
        if status == "Not complete":
            return 0 if (_satisfied(ps) or _can_start(ps, patient, assessment)) else 3
        return {"Complete": 1, "Immune": 1, "Aged out": 2}.get(status, 4)

    return min(chosen, key=lambda ps: (rank(ps), _kind(ps) != "risk",
                                       str(ps.select.get("seriesGroup"))))  # fmt: skip


def _kind(ps: PatientSeries) -> str:
    return (ps.series.get("seriesType") or "").strip().lower()


def _equivalent(a: PatientSeries, b: PatientSeries) -> bool:
    """b's series group is one a's series names as equivalent (CDC gives it one way: the
    dialysis HepB series names none, so a complete standard series does not hide it)."""
    text = str(a.series.get("equivalentSeriesGroups") or "")
    groups = {g.strip() for g in text.replace(",", ";").split(";") if g.strip()}
    return str(b.select.get("seriesGroup")) in groups


def is_best(ps: PatientSeries, prioritized: list[PatientSeries]) -> bool:
    """Table 8-14: is a series group's prioritized series a best patient series?"""
    if ps.complete:
        return True
    if _kind(ps) == "evaluation only":
        return False
    others = [o for o in prioritized if o is not ps and _equivalent(ps, o)]
    if any(o.complete for o in others):
        return False
    if _kind(ps) == "risk":
        return True
    return not any(_kind(o) == "risk" for o in others)


def select_in_group(candidates: list[PatientSeries],
                    patient: Patient) -> PatientSeries | None:  # fmt: skip
    """Chapter 8 for one series group: pre-filter (SELECTSCORE-2), a single prioritized
    series (table 8-3), else scoring (tables 8-5 to 8-13), ties by series preference."""
    if not candidates:
        return None
    defaults = [ps for ps in candidates
                if (ps.select.get("defaultSeries") or "").lower() == "yes"]  # fmt: skip
    none_valid = all(_satisfied(ps) == 0 for ps in candidates)
    scorable = []
    top = min((str(ps.select.get("seriesPriority") or "Z") for ps in candidates
               if _kind(ps) == "risk"), default="Z")  # fmt: skip
    for ps in candidates:
        kind = _kind(ps)
        if kind == "risk" and str(ps.select.get("seriesPriority") or "Z") == top:
            scorable.append(ps)
        elif kind == "standard" and _satisfied(ps) and _first_valid_before_max_start(ps, patient):
            scorable.append(ps)
        elif kind == "standard" and none_valid and not defaults:
            scorable.append(ps)
        elif kind == "evaluation only" and ps.complete:
            scorable.append(ps)
    complete = [ps for ps in scorable if ps.complete]
    in_process = [ps for ps in scorable if not ps.complete and _satisfied(ps)]
    if not scorable:
        return min(defaults or candidates, key=_preference)
    if len(scorable) == 1:
        return scorable[0]
    if len(complete) == 1:
        return complete[0]
    if not complete and len(in_process) == 1:
        return in_process[0]
    if not complete and not in_process and len(defaults) == 1:
        return defaults[0]
    if len(complete) >= 2:
        pool, kind = complete, "complete"
    elif len(in_process) >= 2:
        pool, kind = in_process, "in-process"
    else:
        pool, kind = [ps for ps in scorable if _satisfied(ps) == 0], "none"
    scores = _scores(pool, kind, patient)
    return min(zip(scores, pool, strict=True), key=lambda sp: (-sp[0], _preference(sp[1])))[1]
