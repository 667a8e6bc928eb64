"""The supervisor's figures (`/staff/overview`): open requests by kind and age, time to
resolve over the last 30 days, the overdue count. The numbers come from figures.py,
the chart's geometry from overview_chart.py; this view only words and formats them."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import format_datetime, format_decimal
from flask_babel import lazy_gettext as _l

from portal.access import SUPERVISOR, allow
from portal.db import db
from portal.orm import utcnow

from . import figures, overview_chart
from .staff_words import KIND_LABELS

bp = Blueprint("overview", __name__)

# The chart and the table's columns: ages in working days (the page says so once).
BUCKET_LABELS = {
    "0-1": _l("0–1 days"),
    "2-5": _l("2–5 days"),
    "6-10": _l("6–10 days"),
    "over-10": _l("over 10 days"),
}


def _days(value: float | None) -> str:
    return "–" if value is None else format_decimal(value, "0.0")


@bp.get("/staff/overview", endpoint="index")
@allow(SUPERVISOR)
def overview() -> str:
    now = utcnow()
    found = figures.figures(db.session, now)
    return render_template(
        "requests/overview.html",
        figures=found,
        chart=overview_chart.chart(found),
        buckets=[(b.key, str(BUCKET_LABELS[b.key])) for b in figures.BUCKETS],
        bucket_words={k: str(v) for k, v in BUCKET_LABELS.items()},
        kinds={k: str(v) for k, v in KIND_LABELS.items()},
        as_of=format_datetime(now, "short"),
        days=_days,
    )
