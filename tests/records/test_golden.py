"""The record page, rendered for one fixed record, byte for byte against checked-in files.

Any change to the page's markup or words shows here as a diff; work that should
not change the page (making it faster, say) must leave these files alone. When
a change to the page is meant, regenerate the files and read the diff:

    PORTAL_UPDATE_GOLDEN=1 .venv/bin/pytest tests/records/test_golden.py

Everything on the page is fixed (names, dates, doses, ids and "today") except
the CSRF token, which is signed with the time: it is replaced by a placeholder
before comparing.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from portal.accounts.models import Role
from portal.linking.models import LinkMethod, Relationship
from portal.registry import (
    DoseKind,
    RecordSource,
    Sex,
    TbInterpretation,
    TbTestType,
)

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("PORTAL_UPDATE_GOLDEN") == "1"
NOW = datetime(2026, 11, 20, 18, 30, tzinfo=UTC)  # 10:30 in California: "today" is Nov 20
BIRTH = date(2015, 6, 10)
PATIENT_ID, LINK_ID = 910001, 910002  # fixed ids: the link's id is in the page's URLs
# (CVX, given on, kind): 110 is DTaP-HepB-IPV and 94 MMRV (combinations); 999 is a code
# the portal does not know; the historical doses were copied from a record from abroad.
DOSES = [
    ("08", date(2015, 6, 10), DoseKind.ADMINISTERED),
    ("110", date(2015, 8, 12), DoseKind.ADMINISTERED),
    ("116", date(2015, 8, 12), DoseKind.ADMINISTERED),
    ("133", date(2015, 8, 12), DoseKind.ADMINISTERED),
    ("49", date(2015, 8, 12), DoseKind.ADMINISTERED),
    ("110", date(2015, 10, 14), DoseKind.HISTORICAL),
    ("116", date(2015, 10, 14), DoseKind.HISTORICAL),
    ("110", date(2015, 12, 16), DoseKind.HISTORICAL),
    ("140", date(2015, 12, 16), DoseKind.HISTORICAL),
    ("140", date(2016, 1, 20), DoseKind.ADMINISTERED),
    ("03", date(2016, 6, 15), DoseKind.ADMINISTERED),
    ("21", date(2016, 6, 15), DoseKind.ADMINISTERED),
    ("83", date(2016, 6, 15), DoseKind.ADMINISTERED),
    ("20", date(2016, 9, 20), DoseKind.ADMINISTERED),
    ("83", date(2016, 12, 21), DoseKind.ADMINISTERED),
    ("150", date(2019, 10, 2), DoseKind.ADMINISTERED),
    ("94", date(2019, 10, 2), DoseKind.ADMINISTERED),
    ("130", date(2019, 10, 2), DoseKind.ADMINISTERED),
    ("150", date(2020, 10, 7), DoseKind.ADMINISTERED),
    ("999", date(2021, 3, 3), DoseKind.HISTORICAL),
    ("150", date(2021, 10, 6), DoseKind.ADMINISTERED),
    ("150", date(2022, 10, 5), DoseKind.ADMINISTERED),
    ("150", date(2022, 10, 26), DoseKind.ADMINISTERED),
    ("208", date(2023, 1, 11), DoseKind.ADMINISTERED),
    ("150", date(2023, 10, 4), DoseKind.ADMINISTERED),
    ("150", date(2024, 10, 2), DoseKind.ADMINISTERED),
    ("150", date(2025, 10, 1), DoseKind.ADMINISTERED),
    ("150", date(2026, 10, 7), DoseKind.ADMINISTERED),
]
CSRF = re.compile(rb'name="csrf_token" value="[^"]+"')


@pytest.fixture
def fixed_record(make, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr("portal.i18n.utcnow", lambda: NOW)
    clinic = make.org(identifier="GOLD01", name="Clínica del Valle Central")
    pharmacy = make.org(identifier="GOLD02", name="Sunrise Pharmacy #12")
    patient = make.patient(
        id=PATIENT_ID, registry_id="CA39990001", first_name="Valentina", middle_name="Inés",
        last_name="Ortega-Núñez", birth_date=BIRTH, sex=Sex.FEMALE,
        guardian_name="Rosa Núñez", address_street="418 W Olive Ave", address_city="Fresno",
        address_state="CA", address_zip="93728", phone="15595550187", owner=clinic,
        source=RecordSource.PROVIDER_REPORT, disclosed=True, disclosed_on=date(2015, 6, 12),
        shared=True, sharing_effective_on=date(2015, 6, 12),
    )  # fmt: skip
    for i, (cvx, given_on, kind) in enumerate(DOSES):
        historical = kind is DoseKind.HISTORICAL
        make.dose(
            patient, cvx_code=cvx, given_on=given_on, kind=kind,
            lot_number=None if historical or i % 7 == 3 else f"L{i:03d}-{cvx}",
            administering_org=None if historical else (clinic, pharmacy)[i >= 15],
            administered_at_text="Centro de Salud Jalisco, Guadalajara" if historical else None,
        )  # fmt: skip
    make.dose(patient, cvx_code="10", given_on=date(2016, 2, 2), lot_number="GONE", deleted=True)
    make.tb_test(
        patient, test_type=TbTestType.SKIN, placed_on=date(2024, 8, 5), read_on=date(2024, 8, 7),
        result="0 mm", interpretation=TbInterpretation.NEGATIVE, organization=clinic,
    )  # fmt: skip
    make.tb_test(patient, test_type=TbTestType.BLOOD, placed_on=date(2025, 9, 3))
    return patient


def _check(name: str, body: bytes) -> None:
    body = CSRF.sub(b'name="csrf_token" value="CSRF"', body)
    path = GOLDEN / f"{name}.html"
    if UPDATE:
        path.write_bytes(body)
    assert path.is_file(), f"{path} is missing: run with PORTAL_UPDATE_GOLDEN=1"
    assert body == path.read_bytes(), f"{name} changed; if on purpose: PORTAL_UPDATE_GOLDEN=1"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_family_page_is_unchanged(client, make, login, fixed_record, lang: str) -> None:  # type: ignore[no-untyped-def]
    parent = make.user(role=Role.PARENT, full_name="Rosa Núñez", locale=lang)
    make.link(parent, fixed_record, id=LINK_ID, relationship_=Relationship.PARENT,
              method=LinkMethod.CONTACT_CODE)  # fmt: skip
    login(client, parent)

    response = client.get(f"/records/{LINK_ID}")

    assert response.status_code == 200
    _check(f"family-{lang}", response.data)


def test_the_staff_page_is_unchanged(client, make, login, fixed_record) -> None:  # type: ignore[no-untyped-def]
    login(client, make.user(role=Role.AGENT, locale="en"))

    response = client.get(f"/staff/patients/{PATIENT_ID}")

    assert response.status_code == 200
    _check("staff-en", response.data)
