"""The help desk's queue (`/staff/queue`), claiming, "take the next", and patient search.

The request page itself (`/staff/requests/<id>`) is the actions feature's; until it is on
this branch the queue links to it by its path (REQUEST_PAGE), not by url_for.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from portal.access import STAFF, allow
from portal.db import db
from portal.i18n import medium_date
from portal.orm import utcnow

from . import queue, rules
from .models import Request, RequestKind
from .queue_forms import ClaimForm, QueueFilterForm, SearchForm, TakeNextForm
from .search import search_patients
from .services import NotYours, StaleRequest, take_action
from .staff_words import KIND_LABELS, STATUS_LABELS

bp = Blueprint("requests", __name__)

REQUEST_PAGE = "/staff/requests/{id}"  # the actions feature's page for one request


def request_page(request_id: int) -> str:
    return REQUEST_PAGE.format(id=request_id)


@bp.get("/staff/queue", endpoint="queue")  # the nav entry and the staff landing name it
@allow(STAFF)
def queue_view() -> object:
    form = QueueFilterForm(request.args, meta={"csrf": False})
    valid = form.validate()
    now = utcnow()
    page = None
    if valid:
        page = queue.queue_page(
            db.session, current_user, form.to_filter(), now=now, after=form.after.data
        )
    args = {k: v for k, v in request.args.items() if k != "after"}
    rows = page.rows if page else []
    claim_path = url_for("requests.claim", request_id=0)
    body = render_template(
        "requests/queue.html",
        form=form,
        page=page,
        args=args,
        # Translated and formatted once per page: per row they were most of its time.
        kinds={k: str(v) for k, v in KIND_LABELS.items()},
        statuses={k: str(v) for k, v in STATUS_LABELS.items()},
        dates={d: medium_date(d) for r in rows for d in (r.submitted, r.due)},
        me=current_user.id,
        patterns=(
            _("Request %(number)s"),
            _("Record %(number)s"),
            _("Being viewed by %(names)s"),
            _("Claim request %(number)s"),
        ),
        request_page=request_page,
        claim_url=lambda request_id: claim_path.replace("/0/", f"/{request_id}/"),
        next_form=TakeNextForm(kind=form.kind.data if valid else ""),
    )
    return body, 200 if valid else 400


@bp.post("/staff/queue/<id:request_id>/claim")
@allow(STAFF)
def claim(request_id: int) -> object:
    form = ClaimForm()
    if not form.validate():
        abort(400)
    item = db.session.get(Request, request_id)
    if item is None:
        abort(404)
    try:
        take_action(
            db.session,
            item,
            rules.RequestAction.CLAIM,
            actor=current_user._get_current_object(),
            now=utcnow(),
            seen_version=form.version.data,
        )
    except (StaleRequest, NotYours, rules.IllegalTransition):
        flash(
            _(
                "Another agent claimed or changed request %(number)s first. Nothing was "
                "changed; the queue below is up to date.",
                number=request_id,
            ),
            "warning",
        )
        return redirect(url_for("requests.queue"))
    return redirect(request_page(request_id))


@bp.post("/staff/queue/next")
@allow(STAFF)
def take_next() -> object:
    form = TakeNextForm()
    if not form.validate():
        abort(400)
    kind = RequestKind(form.kind.data) if form.kind.data else None
    taken = queue.take_next(db.session, current_user._get_current_object(), now=utcnow(), kind=kind)
    if taken is None:
        flash(_("No unclaimed request is waiting."), "info")
        return redirect(url_for("requests.queue"))
    return redirect(request_page(taken.id))


@bp.route("/staff/search", methods=["GET", "POST"])
@allow(STAFF)
def search() -> object:
    # A GET may carry a registry number (not PHI on its own); names and birth dates only
    # come by POST, so they never sit in an address, a history or a log.
    if request.method == "POST":
        form = SearchForm()
        submitted = True
    else:
        registry_id = request.args.get("registry_id", "")
        submitted = bool(registry_id)
        only_the_number = MultiDict({"registry_id": registry_id}) if submitted else None
        form = SearchForm(formdata=only_the_number, meta={"csrf": False})
    results = None
    # An incomplete search is shown again with its errors (200), as every form here is.
    if submitted and form.validate():
        results = search_patients(
            db.session,
            registry_id=form.registry_id.data,
            last_name=form.last_name.data,
            first_name=form.first_name.data,
            birth_date=form.birth_date.data,
        )
    return render_template("requests/search.html", form=form, results=results)
