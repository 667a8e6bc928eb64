"""Factories for test data: each builds a valid object, commits it, and takes overrides."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from portal.accounts.models import Role, User
from portal.accounts.passwords import hash_password
from portal.linking.models import LinkMethod, PatientLink, Relationship
from portal.linking.rules import guardian_link_ends_on
from portal.orm import utcnow
from portal.registry import (
    DoseKind,
    Immunization,
    Organization,
    OrgKind,
    Patient,
    RecordSource,
    Sex,
    TbTest,
    TbTestType,
)
from portal.requests.models import CannedReply, CannedReplyText

PASSWORD = "correct horse battery staple"
_seq = itertools.count(1)
_HASH = hash_password(PASSWORD)  # hashing is slow on purpose; reuse one hash


class Factories:
    def __init__(self, db: Session) -> None:
        self.db = db

    def _save(self, obj: Any) -> Any:
        self.db.add(obj)
        self.db.commit()
        return obj

    def org(self, **kw: Any) -> Organization:
        n = next(_seq)
        kw.setdefault("identifier", f"ORG{n:05d}")
        kw.setdefault("name", f"Valley Pediatrics {n}")
        kw.setdefault("kind", OrgKind.PROVIDER)
        return self._save(Organization(**kw))

    def patient(self, **kw: Any) -> Patient:
        n = next(_seq)
        kw.setdefault("registry_id", f"CA{n:08d}")
        kw.setdefault("first_name", "Maria")
        kw.setdefault("last_name", f"Lopez{n}")
        kw.setdefault("birth_date", date(2019, 3, 14))
        kw.setdefault("sex", Sex.FEMALE)
        kw.setdefault("guardian_name", "Ana Lopez")
        kw.setdefault("address_street", "12 Elm St")
        kw.setdefault("address_city", "Fresno")
        kw.setdefault("address_state", "CA")
        kw.setdefault("address_zip", "93701")
        kw.setdefault("phone", "5595550123")
        kw.setdefault("email", f"family{n}@example.org")
        kw.setdefault("source", RecordSource.PROVIDER_REPORT)
        kw.setdefault("disclosed", True)
        kw.setdefault("disclosed_on", date(2019, 3, 20))
        kw.setdefault("shared", True)
        kw.setdefault("sharing_effective_on", date(2019, 3, 20))
        if "owner" not in kw and "owner_org_id" not in kw:
            kw["owner"] = self.org()
        return self._save(Patient(**kw))

    def dose(self, patient: Patient, **kw: Any) -> Immunization:
        kw.setdefault("cvx_code", "03")
        kw.setdefault("given_on", date(2020, 3, 20))
        kw.setdefault("lot_number", f"LOT{next(_seq)}")
        kw.setdefault("kind", DoseKind.ADMINISTERED)
        if "administering_org" not in kw and "administering_org_id" not in kw:
            kw["administering_org"] = patient.owner
        return self._save(Immunization(patient=patient, **kw))

    def tb_test(self, patient: Patient, **kw: Any) -> TbTest:
        kw.setdefault("test_type", TbTestType.SKIN)
        kw.setdefault("placed_on", date(2024, 8, 1))
        return self._save(TbTest(patient=patient, **kw))

    def canned_reply(self, texts: dict[str, tuple[str, str]] | None = None,
                     **kw: Any) -> CannedReply:  # fmt: skip
        """A ready answer; by default the migration's first one, "Ask for a clearer document",
        in English and Spanish. `title_<lang>`/`text_<lang>` set one language's wording;
        `texts` (lang -> (title, text)) replaces them all."""
        wording = {
            "en": ("Ask for a clearer document", "We could not read the document you sent. "
                   "Please send a clearer photo or scan of the whole page."),
            "es": ("Pedir un documento más claro", "No pudimos leer el documento que envió. "
                   "Envíe una foto o un escaneo más claro de la página completa."),
        } if texts is None else dict(texts)  # fmt: skip
        for name in [k for k in kw if k.startswith(("title_", "text_"))]:
            part, lang = name.split("_", 1)
            title, text = wording.get(lang, ("", ""))
            value = kw.pop(name)
            wording[lang] = (value, text) if part == "title" else (title, value)
        reply = CannedReply(**kw)
        for lang, (title, text) in wording.items():
            reply.texts[lang] = CannedReplyText(lang=lang, title=title, text=text)
        return self._save(reply)

    def user(self, **kw: Any) -> User:
        n = next(_seq)
        kw.setdefault("email", f"user{n}@example.com")
        kw.setdefault("password_hash", _HASH)
        kw.setdefault("role", Role.PARENT)
        kw.setdefault("email_confirmed_at", utcnow())
        if kw["role"] in (Role.AGENT, Role.SUPERVISOR):
            kw.setdefault("totp_secret", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")  # 160 bits
            kw.setdefault("totp_confirmed_at", utcnow())
        return self._save(User(**kw))

    def link(self, user: User, patient: Patient, **kw: Any) -> PatientLink:
        """A parent's link to a child's record (ends on the 18th birthday) unless told otherwise."""
        kw.setdefault("relationship_", Relationship.PARENT)
        kw.setdefault("method", LinkMethod.CONTACT_CODE)
        if kw["relationship_"] is not Relationship.SELF:
            kw.setdefault("ends_on", guardian_link_ends_on(patient.birth_date, 18))
        return self._save(PatientLink(user=user, patient=patient, **kw))
