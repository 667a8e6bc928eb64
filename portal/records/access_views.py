"""The family's "Who looked at the record" page and its CSV download (policy rule 5)."""

from __future__ import annotations

import csv
import io

from flask import Response, abort, render_template, request
from flask_babel import get_timezone
from flask_login import current_user

from portal.access import FAMILY, allow
from portal.alerts.services import alerts_on
from portal.db import db
from portal.i18n import current_language, local_today
from portal.linking.services import active_link_for
from portal.registry import AccessOutcome, Patient

from . import access_log, labels
from .access_log import AccessRow, Cursor
from .views import _SAFE, bp


def _patient_for(link_id: int) -> Patient:
    """The record behind the user's own link in force; 404 for anything else, as the record page."""
    link = active_link_for(db.session, current_user, link_id, local_today())
    patient = db.session.get(Patient, link.patient_id) if link else None
    if patient is None:
        abort(404)
    return patient


def _cursor(name: str) -> Cursor | None:
    text = request.args.get(name)
    if text is None:
        return None
    cursor = Cursor.decode(text)
    if cursor is None:
        abort(400)
    return cursor


@bp.get("/records/<id:link_id>/access")
@allow(FAMILY)
def access(link_id: int) -> str:
    patient = _patient_for(link_id)
    after, before = _cursor("older"), _cursor("newer")
    if after and before:
        abort(400)
    page = access_log.access_page(db.session, patient.id, after=after, before=before)
    words = labels.Words.current()
    return render_template(
        "records/access.html",
        link_id=link_id,
        patient=patient,
        page=page,
        first_page=after is None and before is None,
        alerts_on=alerts_on(db.session, link_id),
        rows=[_cells(row, words) for row in page.rows],
        zone=access_log.zone_words(get_timezone(), str(words.locale)),
        **labels.template_gettext(words),
    )


def _cells(row: AccessRow, words: labels.Words) -> dict[str, str]:
    _ = words.gettext
    return {
        "when": access_log.when_words(row.occurred_at, get_timezone(), str(words.locale)),
        "iso": row.occurred_at.isoformat(),
        "who": access_log.who(row, _),
        "kind": access_log.kind_words(row, _),
        "what": access_log.what_words(row, _),
        "refused": "yes" if row.outcome is AccessOutcome.DENIED else "",
        # The help desk's name already says what it is: no "(registry help desk)" after it.
        "show_kind": "" if row.by_help_desk else "yes",
    }


@bp.get("/records/<id:link_id>/access.csv")
@allow(FAMILY)
def access_csv(link_id: int) -> Response:
    patient = _patient_for(link_id)
    words = labels.Words.current()
    _ = words.gettext
    out = io.StringIO()
    out.write("\ufeff")  # the BOM: spreadsheet programs then read the file as UTF-8
    writer = csv.writer(out)
    writer.writerow([_("Date and time"), _("Organization"), _("Kind"), _("What it did")])
    for row in access_log.all_rows(db.session, patient.id):
        cells = _cells(row, words)
        writer.writerow([access_log.csv_safe(cells[k]) for k in ("when", "who", "kind", "what")])
    response = Response(out.getvalue(), mimetype="text/csv")
    response.charset = "utf-8"
    # Registry id and date, never the name: download lists are no place for PHI.
    name = f"access-log-{_SAFE.sub('', patient.registry_id)}-{local_today().isoformat()}.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Language"] = current_language()
    return response
