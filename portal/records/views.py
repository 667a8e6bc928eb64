"""The record page and its printable PDF, for the family and for the help desk."""

from __future__ import annotations

import re

from flask import Blueprint, Response, abort, current_app, render_template
from flask.blueprints import BlueprintSetupState
from flask_babel import force_locale
from flask_login import current_user
from markupsafe import Markup

from portal.access import FAMILY, STAFF, allow
from portal.accounts.limits import user_key
from portal.db import db
from portal.extensions import limiter
from portal.forecast.status import DUE_SOON_DAYS
from portal.i18n import current_language, local_today
from portal.linking.services import active_link_for
from portal.orm import utcnow
from portal.proof.current import proof_for_printout
from portal.registry import Patient

from . import labels
from .forms import PrintForm
from .page_cache import Kept
from .page_rows import RecordRows
from .pdf import PrintedProof, build_shot_record_pdf
from .services import RecordView, load_linked_record_view, open_for_staff, record_view
from .timeline import build_timeline

bp = Blueprint("records", __name__)


def _family_record(link_id: int, locale: str | None = None) -> tuple[RecordView, Patient]:
    view = load_linked_record_view(
        db.session, current_user, link_id, locale or current_language(), local_today()
    )
    patient = db.session.get(Patient, view.patient_id) if view else None  # for the card
    if view is None or patient is None:
        abort(404)
    return view, patient


def _render(view: RecordView, *, staff: bool, **context: object) -> str:
    words = labels.Words.current()
    gettext = labels.template_gettext(words)

    def sections() -> Markup:
        return Markup(  # noqa: S704 - a rendered template (autoescaped)
            render_template(
                "records/_sections.html",
                view=view,
                timeline=build_timeline(view),
                words=words,
                rows=RecordRows(words),
                due_soon_days=DUE_SOON_DAYS,
                staff=staff,
                **gettext,
            )
        )

    kept = current_app.extensions["portal.record_sections"]
    # Templates that may change under a running app (debug) are rendered every time.
    fresh = current_app.jinja_env.auto_reload
    return render_template(
        "records/show.html",
        view=view,
        words=words,
        sections=sections() if fresh else kept.get((view, staff), sections),
        staff=staff,
        **gettext,
        **context,
    )


@bp.record_once
def _keep_pages(state: BlueprintSetupState) -> None:
    size = state.app.config["RECORD_PAGE_CACHE"]
    state.app.extensions["portal.record_views"] = Kept[RecordView](size)
    state.app.extensions["portal.record_sections"] = Kept[Markup](size)


@bp.get("/records/<id:link_id>")
@allow(FAMILY)
def show(link_id: int) -> str:
    view = load_linked_record_view(
        db.session,
        current_user,
        link_id,
        current_language(),
        local_today(),
        kept=current_app.extensions["portal.record_views"],
    )
    if view is None:
        abort(404)
    return _render(
        view,
        link_id=link_id,
        staff=False,
        reminders_on=view.reminders_on,
    )


@bp.post("/records/<id:link_id>/shot-record.pdf")
@allow(FAMILY)
# Each printout signs and stores a card; a family needs a few a day, not hundreds.
@limiter.limit("20 per hour;50 per day", key_func=user_key, methods=["POST"])
def pdf(link_id: int) -> Response:
    """A new printout with a new signed card; older cards of the record become revoked.

    A POST, because printing changes state: a link prefetcher must not revoke the
    family's last printout. The family printing its own record is not an access event.
    The printout is in the language the form asks for (a Spanish-speaking parent may
    print an English record for the school), else in the page's.
    """
    form = PrintForm()
    valid = form.validate_on_submit()
    lang = form.lang.data or current_language()
    view, patient = _family_record(link_id, lang if valid else None)
    if not valid:  # only a tampered post: the record page offers the languages as a list
        abort(400)
    card = proof_for_printout(db.session, patient, current_user.id)
    proof = PrintedProof(card.qr_chunks, card.short_code, card.issued_at) if card else None
    # The new card is stored (and the older ones revoked) before the drawing: holding the
    # record's row lock, or SQLite's write lock, through it made other prints wait.
    db.commit_early()
    with force_locale(lang):
        body = build_shot_record_pdf(view, printed_on=view.today, proof=proof)
    response = Response(body, mimetype="application/pdf")
    # Registry id and date, never the name: headers and download lists are no place for PHI.
    name = f"shot-record-{_SAFE.sub('', view.registry_id)}-{view.today.isoformat()}.pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


_SAFE = re.compile(r"[^A-Za-z0-9-]")


@bp.get("/records/<id:link_id>/shot-record.pdf")
@allow(FAMILY)
def pdf_help(link_id: int) -> str:
    """The printout's address opened directly (a bookmark, a shared link): printing issues
    a new card, so it is done with the record page's button, not by a GET."""
    if active_link_for(db.session, current_user, link_id, local_today()) is None:
        abort(404)
    return render_template("records/print_help.html", link_id=link_id)


@bp.get("/staff/patients/<id:patient_id>")
@allow(STAFF)
def staff_show(patient_id: int) -> str:
    patient = open_for_staff(db.session, current_user, patient_id, now=utcnow())
    if patient is None:
        abort(404)
    return _render(
        record_view(patient, current_language(), local_today()), link_id=None, staff=True
    )


# The family's access-log page and its CSV live beside the record page, on this blueprint.
from . import access_views, alert_views, reminder_views  # noqa: E402, F401
