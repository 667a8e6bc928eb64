"""POST /exchange/hl7's rate limit: per organization, whichever of its credentials is used."""

from __future__ import annotations

import pytest

from portal.registry import Organization

from .client import NOW, basic, sender
from .samples import VXU_8


@pytest.fixture
def settings(settings):  # type: ignore[no-untyped-def]
    return {**settings, "EXCHANGE_LIMIT_PER_ORGANIZATION": "4/minute"}


def test_the_limit_is_per_organization_across_its_credentials(app, client, db, make) -> None:
    from portal.exchange.credentials import create_credential

    clinic = sender(db, make)
    second = create_credential(db, db.get(Organization, clinic.org_id), now=NOW)
    db.commit()
    answers = [clinic.post(client, VXU_8).status_code for _ in range(3)]
    answers.append(
        client.post(
            "/exchange/hl7", data=VXU_8, csrf=False, headers=basic(second.username, second.password)
        ).status_code
    )
    assert answers == [200, 200, 200, 200]
    assert clinic.post(client, VXU_8).status_code == 429  # the organization's fifth
    other = sender(db, make)
    assert other.post(client, VXU_8).status_code == 200  # another organization's budget


def test_the_soap_service_shares_the_organizations_budget(app, client, db, make) -> None:
    import zeep
    import zeep.exceptions

    from .test_soap import FlaskTransport, credential

    clinic = sender(db, make)
    username, password = credential(clinic)
    service = zeep.Client("http://localhost/exchange/soap?wsdl",
                          transport=FlaskTransport(client)).service  # fmt: skip
    assert [clinic.post(client, VXU_8).status_code for _ in range(3)] == [200, 200, 200]
    answer = service.submitSingleMessage(username=username, password=password,
                                         facilityID="X", hl7Message=VXU_8)  # fmt: skip
    assert "\rMSA|AA|" in answer  # the fourth, over SOAP
    assert clinic.post(client, VXU_8).status_code == 429  # the fifth, over HTTP
    with pytest.raises(zeep.exceptions.TransportError) as refused:  # a sixth, over SOAP
        service.submitSingleMessage(username=username, password=password,
                                    facilityID="X", hl7Message=VXU_8)  # fmt: skip
    assert refused.value.status_code == 429
    other = sender(db, make)
    assert other.post(client, VXU_8).status_code == 200  # another organization's budget
