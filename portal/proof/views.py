"""/verify for schools and anyone holding a printout; the issuer's public key and CRL files.

The verify view is exempt from the global CSRF check because it serves two kinds
of caller on one URL:

* People use the three HTML forms. Each is a FlaskForm, which checks its own
  CSRF token, so this path stays protected.
* A school's system POSTs `proof` with `Accept: application/json`. That path
  never reads the session: it answers as it would answer anyone, writes nothing
  and is rate-limited like any anonymous caller. A forged cross-site request can
  therefore do nothing the attacker could not do with their own client, which is
  why it needs no token.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import PUBLIC, SCHOOL, allow
from portal.accounts.limits import user_key
from portal.db import db
from portal.extensions import csrf, limiter
from portal.forecast.school import REQUIREMENTS
from portal.forecast.school import check as school_check
from portal.i18n import current_language, local_today
from portal.orm import utcnow
from portal.registry import AccessAction, AccessChannel, Patient, record_access
from portal.registry.vaccines import group_name, lookup

from . import current, school
from .cards import public_jwks
from .documents import Served, crl_versions, encode, stored_crl
from .forms import ApiForm, CodeForm, PasteForm, UploadForm
from .grouping import VaccineRow, rows_by_vaccine
from .verification import (
    CheckResult,
    UnreadableImage,
    check_card_images,
    check_card_text,
    check_proof,
    check_short_code,
)

KID_MAX = 64
bp = Blueprint("proof", __name__)
bp.record_once(lambda state: current.init_app(state.app))

SCHOOL_LIMIT = "300 per hour;1000 per day"
ANONYMOUS_LIMIT = "20/minute;200/day"
# The JWKS announces each key's crlVersion: five minutes is how long a verifier may
# keep accepting a card revoked since. The spec has verifiers refetch a CRL when that
# number changes and otherwise keep their copy; a shared cache must not hand them an
# older CRL than the JWKS announces (a REVOCATION_ERROR), so the CRL is revalidated
# each time, which costs one primary-key read and a 304.
JWKS_CACHE = "public, max-age=300"
CRL_CACHE = "public, max-age=0, must-revalidate"
# Verifier apps fetch these once per crlVersion; a tight loop is not a verifier.
DOCUMENT_LIMIT = "120 per minute;3000 per hour"


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _is_school() -> bool:
    """Only for the HTML path: the JSON path never looks at who is signed in."""
    return not _wants_json() and SCHOOL.allows(current_user)


@bp.route("/verify", methods=["GET", "POST"])
@allow(PUBLIC)
@limiter.limit(ANONYMOUS_LIMIT, methods=["POST"], exempt_when=_is_school)
# Generous for a school's front office, but a stolen school account cannot sweep the registry.
@limiter.limit(
    SCHOOL_LIMIT, methods=["POST"], key_func=user_key, exempt_when=lambda: not _is_school()
)
@csrf.exempt
def verify() -> Any:
    if request.method == "POST" and _wants_json():
        return _verify_api()
    paste, upload, code = PasteForm(), UploadForm(), CodeForm()
    result, requirement = _checked(paste, upload, code)
    is_school = _is_school()
    if result is None:
        return render_template(
            "proof/verify.html", paste=paste, upload=upload, code=code, is_school=is_school
        )
    logged = is_school and result.patient_id is not None
    if logged:
        _log_school_check(result.patient_id)
    return render_template(
        "proof/result.html",
        result=result,
        rows=rows_by_vaccine(result.doses),
        school_check=_school_check(result, requirement),
        group_label=_group_label,
        school=current_user.organization if logged else None,
        logged=logged,
        vaccine_name=_vaccine_name,
    )


def _log_school_check(patient_id: int) -> None:
    """The record's access log shows the school, as policy rule 5 promises the family."""
    patient = db.session.get(Patient, patient_id)
    if patient is not None:
        record_access(
            db.session,
            patient,
            action=AccessAction.VERIFY,
            channel=AccessChannel.VERIFIER,
            organization=current_user.organization,
            user_id=current_user.id,
        )


def _school_check(result: CheckResult, requirement: str) -> school.SchoolAnswer | None:
    """The card's own doses (not the database's) against the requirement the school
    picked, as of today; only for a card whose content is shown."""
    if not result.shows_content or result.birth_date is None:
        return None
    doses = [(d.cvx, d.given_on) for d in result.doses if d.cvx and d.given_on]
    return school.answer(result.birth_date, doses, requirement, local_today())


def _checked(
    paste: PasteForm, upload: UploadForm, code: CodeForm
) -> tuple[CheckResult | None, str]:
    """The result of whichever form was sent and valid (None re-renders the page), and the
    requirement that form asked to check."""
    result = _checked_card(paste, upload, code)
    # the three forms read the same posted field; the one that was sent has validated it
    requirement = code.requirement.data
    return result, requirement if requirement in REQUIREMENTS else "k12_entry"


def _checked_card(paste: PasteForm, upload: UploadForm, code: CodeForm) -> CheckResult | None:
    keyring, now = current.active_keyring(db.session), utcnow()
    if paste.check_text.data and paste.validate_on_submit():
        return check_card_text(db.session, keyring, paste.text.data, now=now)
    if upload.check_image.data and upload.validate_on_submit():
        try:
            return check_card_images(db.session, keyring, [upload.image_bytes], now=now)
        except UnreadableImage:
            upload.image.errors.append(
                _(
                    "We could not find a QR code in this picture. Try a sharper, closer photo "
                    "with the whole QR code in it, or type the code printed under it."
                )
            )
            return None
    if code.check_code.data and code.validate_on_submit():
        return check_short_code(db.session, keyring, code.code.data, now=now)
    return None


def _verify_api() -> Any:
    form = ApiForm()
    if not form.validate_on_submit():
        return jsonify(error="send the card's shc:/ text or its verification code as `proof`"), 400
    keyring = current.active_keyring(db.session)
    result = check_proof(db.session, keyring, form.proof.data, now=utcnow())
    languages = current_app.config["LANGUAGES"]
    locale = request.accept_languages.best_match(languages) or languages[0]
    body = _as_json(result, locale)
    if result.shows_content and result.birth_date is not None:
        body["california"] = _school_json(result, form.requirement.data)
    return jsonify(body)


def _school_json(result: CheckResult, requirement: str) -> dict[str, Any]:
    """The card's doses against a California requirement, for a school's system."""
    doses = [(d.cvx, d.given_on) for d in result.doses if d.cvx and d.given_on]
    assert result.birth_date is not None
    check = school_check(result.birth_date, doses, requirement, local_today())
    return {
        "requirement": requirement,
        "as_of": check.as_of.isoformat(),
        "met": check.met,
        "missing": sorted(check.missing),
        "next_due": check.next_due.isoformat() if check.next_due else None,
    }


def _vaccine_name(cvx: str | None, locale: str | None = None) -> str:
    vaccine = lookup(cvx) if cvx else None
    if vaccine is not None:
        return vaccine.name(locale or current_language())
    return _("Vaccine code %(cvx)s", cvx=cvx) if cvx else _("Vaccine not named")


def _group_label(row: VaccineRow, locale: str | None = None) -> str:
    if row.group is None:
        return _vaccine_name(row.cvx, locale)
    return group_name(row.group, locale or current_language())


def _as_json(result: CheckResult, locale: str) -> dict[str, Any]:
    """The answer for a school's system: the status, and the paper's content when the
    card is ours. There is nothing else to leak: the card holds no address or phone."""
    body: dict[str, Any] = {"status": result.status, "reasons": result.reasons}
    if result.status == "incomplete":
        body["parts_given"], body["parts_total"] = result.parts_given, result.parts_total
        body["message"] = (
            f"This is part {', '.join(map(str, result.parts_given))} of {result.parts_total} "
            "of a card split over several QR codes; send every part together."
        )
    if not result.shows_content:
        return body
    if result.status == "authentic":
        # Genuine either way; false: the record has been printed again since, so this
        # paper may lack doses given later (every dose it shows is still on the record).
        body["newer_printout_exists"] = result.newer_printout
    body["issued"] = result.issued_at.isoformat() if result.issued_at else None
    body["patient"] = {
        "name": result.name,
        "birth_date": result.birth_date.isoformat() if result.birth_date else None,
    }
    body["doses"] = [
        {
            "vaccine": _vaccine_name(d.cvx, locale) if d.cvx else None,
            "cvx": d.cvx,
            "date": d.given_on.isoformat() if d.given_on else d.occurred,
            "given_by": d.given_by,
        }
        for d in result.doses
    ]
    body["by_vaccine"] = [
        {
            "vaccine": _group_label(row, locale),
            "group": str(row.group) if row.group else None,
            "dates": [d.given_on.isoformat() if d.given_on else d.occurred for d in row.doses],
        }
        for row in rows_by_vaccine(result.doses)
    ]
    return body


def _public(served: Served, cache: str) -> Response:
    """Issuer documents are public and hold no personal data: cacheable, revalidated
    by ETag, and readable by verifier apps on any origin (the spec requires CORS)."""
    response = Response(served.body, mimetype="application/json")
    response.set_etag(served.etag)
    response.headers["Cache-Control"] = cache
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response.make_conditional(request)


@bp.get("/.well-known/jwks.json")
@allow(PUBLIC)
@limiter.limit(DOCUMENT_LIMIT)
def jwks() -> Response:
    keyring = current.active_keyring(db.session)
    versions = crl_versions(db.session, keyring.kids)
    return _public(encode(public_jwks(keyring.public_keys(), crl_versions=versions)), JWKS_CACHE)


@bp.get("/.well-known/crl/<kid>.json")
@allow(PUBLIC)
@limiter.limit(DOCUMENT_LIMIT)
def crl(kid: str) -> Response:
    served = stored_crl(db.session, kid) if len(kid) <= KID_MAX else None
    if served is None:
        abort(404)  # not our key, or nothing revoked under it: its JWK has no crlVersion
    return _public(served, CRL_CACHE)
