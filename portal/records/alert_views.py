"""The "who looked" page's switch: email me when an organization opens this record (alerts)."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.access import FAMILY, allow
from portal.alerts.services import set_opt_in
from portal.db import db
from portal.i18n import local_today
from portal.linking.services import active_link_for
from portal.orm import utcnow

from .forms import AccessAlertForm
from .views import bp


@bp.post("/records/<id:link_id>/access-alerts")
@allow(FAMILY)
def access_alerts(link_id: int) -> Response:
    link = active_link_for(db.session, current_user, link_id, local_today())
    if link is None:
        abort(404)
    form = AccessAlertForm()
    if not form.validate():
        abort(400)  # only a tampered post: the page's form sends "on" or "off" with its token
    wanted = form.want.data == "on"
    set_opt_in(db.session, link.id, wanted, utcnow())
    if wanted:
        flash(_("Emails are on: we tell you when an organization looks at this record."), "success")
    else:
        flash(_("Emails about who looked at this record are off."), "success")
    return redirect(url_for("records.access", link_id=link.id) + "#alerts-heading")
