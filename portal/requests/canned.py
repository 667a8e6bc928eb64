"""Canned replies: the help desk's ready answers to the common cases, in both languages.

A checked-in list for now (a supervisor-kept table with its own page is the next step:
until then a supervisor changes these through a pull request). The texts are Babel
strings, so each has its Spanish translation in the catalog; the staff page fills the
note box with the text in the family's language (the requester's account language).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class CannedReply:
    key: str
    title: object  # lazy: shown to the agent in the page's language
    text: object  # lazy: filled in the family's language


REPLIES: tuple[CannedReply, ...] = (
    CannedReply(
        "clearer_document",
        _l("Ask for a clearer document"),
        _l(
            "We could not read the document you sent. Please send a clearer photo or scan "
            "of the whole page, with the names and dates easy to read."
        ),
    ),
    CannedReply(
        "proof_of_parenthood",
        _l("Ask for proof of parenthood"),
        _l(
            "Please send a document that shows you are the child's parent or legal "
            "guardian, such as the birth certificate or a court order."
        ),
    ),
    CannedReply(
        "provider_record",
        _l("Ask for the provider's record"),
        _l(
            "Please send a copy of the shot record from the doctor's office or clinic that "
            "gave the dose, showing the vaccine and the date it was given."
        ),
    ),
    CannedReply(
        "no_record_found",
        _l("No matching record"),
        _l(
            "We could not find a record in the registry that matches the details you gave. "
            "Please check the child's full name and birth date, or ask the doctor's office "
            "to report the shots to the registry."
        ),
    ),
    CannedReply(
        "record_already_correct",
        _l("The record is already correct"),
        _l(
            "We checked the record against the provider's report and it is correct as it "
            "is, so we did not change it."
        ),
    ),
)

_BY_KEY = {reply.key: reply for reply in REPLIES}


def reply_text(key: str | None, locale: str | None) -> str | None:
    """The ready text for `key` in `locale` (English when the family has none), or None."""
    reply = _BY_KEY.get(key or "")
    if reply is None:
        return None
    with force_locale(locale or "en"):
        return str(reply.text)  # a lazy string is translated when it is turned into text
