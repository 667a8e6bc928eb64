"""The record page's reminder switch: email me when a shot is due (portal.reminders)."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.access import FAMILY, allow
from portal.db import db
from portal.i18n import local_today
from portal.linking.services import active_link_for
from portal.reminders.services import set_opt_in

from .forms import ReminderForm
from .views import bp


@bp.post("/records/<id:link_id>/reminders")
@allow(FAMILY)
def reminders(link_id: int) -> Response:
    link = active_link_for(db.session, current_user, link_id, local_today())
    if link is None:
        abort(404)
    form = ReminderForm()
    if not form.validate():
        abort(400)
    wanted = form.want.data == "on"
    set_opt_in(db.session, link.id, wanted)
    if wanted:
        flash(_("Reminders are on: we email you when a shot for this record is due."), "success")
    else:
        flash(_("Reminders are off for this record."), "success")
    return redirect(url_for("records.show", link_id=link.id) + "#reminders-heading")
