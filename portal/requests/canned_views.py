"""The supervisor's ready answers (`/staff/replies`): list, add, edit, retire, offer again.
Views validate and call canned.py, which writes each change to the audit trail."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import SUPERVISOR, allow
from portal.accounts.forms import ConfirmActionForm
from portal.db import db
from portal.i18n import current_language
from portal.orm import utcnow

from . import canned
from .canned_forms import CannedReplyForm, form_data
from .models import CannedReply

bp = Blueprint("canned_replies", __name__)


def _reply_or_404(reply_id: int) -> CannedReply:
    reply = db.session.get(CannedReply, reply_id)
    if reply is None:
        abort(404)
    return reply


def _form_page(form: CannedReplyForm, reply: CannedReply | None) -> str:
    return render_template(
        "requests/reply_form.html",
        form=form,
        reply=reply,
        languages=canned.LANGUAGES,
        native_names=canned.NATIVE_NAMES,
        legend_lang=canned.HTML_LANG,
    )


@bp.get("/staff/replies")
@allow(SUPERVISOR)
def index() -> str:
    return render_template(
        "requests/replies.html",
        replies=canned.all_replies(db.session),
        locale=current_language(),
        action_form=ConfirmActionForm(),
    )


@bp.route("/staff/replies/new", methods=["GET", "POST"])
@allow(SUPERVISOR)
def create() -> object:
    form = CannedReplyForm()
    if form.validate_on_submit():
        reply = canned.add_reply(db.session, current_user._get_current_object(), form.texts(),
                                 now=utcnow())  # fmt: skip
        flash(_("The ready answer “%(title)s” is added.", title=reply.title(current_language())),
              "success")  # fmt: skip
        return redirect(url_for("canned_replies.index"))
    return _form_page(form, None)


@bp.route("/staff/replies/<id:reply_id>", methods=["GET", "POST"])
@allow(SUPERVISOR)
def edit(reply_id: int) -> object:
    reply = _reply_or_404(reply_id)
    form = CannedReplyForm(data=form_data(canned.texts_of(reply)))
    if form.validate_on_submit():
        changed = canned.edit_reply(db.session, current_user._get_current_object(), reply,
                                    form.texts(), now=utcnow())  # fmt: skip
        title = reply.title(current_language())
        if changed:
            flash(_("The ready answer “%(title)s” is saved.", title=title), "success")
        else:
            flash(_("Nothing was changed in “%(title)s”.", title=title), "info")
        return redirect(url_for("canned_replies.index"))
    return _form_page(form, reply)


def _set_active(reply_id: int, active: bool) -> object:
    if not ConfirmActionForm().validate_on_submit():
        abort(400)
    reply = _reply_or_404(reply_id)
    canned.set_active(db.session, current_user._get_current_object(), reply, active, now=utcnow())
    title = reply.title(current_language())
    if active:
        flash(_("“%(title)s” is offered to the help desk again.", title=title), "success")
    else:
        flash(_("“%(title)s” is retired: the help desk no longer sees it.", title=title),
              "success")  # fmt: skip
    return redirect(url_for("canned_replies.index"))


@bp.post("/staff/replies/<id:reply_id>/retire")
@allow(SUPERVISOR)
def retire(reply_id: int) -> object:
    return _set_active(reply_id, False)


@bp.post("/staff/replies/<id:reply_id>/restore")
@allow(SUPERVISOR)
def restore(reply_id: int) -> object:
    return _set_active(reply_id, True)
