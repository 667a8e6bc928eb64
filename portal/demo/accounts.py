"""The demo's sign-ins: a parent, an adult patient, two help-desk staff and a school verifier.

Passwords are fixed so the README can name them; they are long and not on
any common-password list, and they exist only in the demo database.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.accounts.models import STAFF_ROLES, Role
from portal.linking.models import Relationship

from . import featured
from .organizations import ELEMENTARY_SCHOOL


@dataclass(frozen=True, slots=True)
class AccountSpec:
    label: str  # the role word printed before the email
    email: str
    password: str
    role: Role
    full_name: str
    organization: str | None = None
    links: tuple[tuple[str, Relationship], ...] = ()

    @property
    def staff(self) -> bool:
        return self.role in STAFF_ROLES


DEMO_ACCOUNTS: tuple[AccountSpec, ...] = (
    AccountSpec(
        "parent",
        featured.PARENT_EMAIL,
        "Demo-Parent-2026!",
        Role.PARENT,
        "Ana Morales",
        links=(
            (featured.SOFIA, Relationship.PARENT),
            (featured.MATEO, Relationship.PARENT),
            (featured.LUCAS, Relationship.PARENT),
            (featured.CAMILA, Relationship.PARENT),
        ),
    ),
    AccountSpec(
        "patient",
        featured.PATIENT_EMAIL,
        "Demo-Patient-2026!",
        Role.PARENT,
        "Danielle Washington",
        links=((featured.DANIELLE, Relationship.SELF),),
    ),
    AccountSpec("agent", "agent@demo.example", "Demo-Agent-2026!", Role.AGENT, "Marisol Vega"),
    AccountSpec(
        "supervisor",
        "supervisor@demo.example",
        "Demo-Supervisor-2026!",
        Role.SUPERVISOR,
        "Kenneth Okafor",
    ),
    AccountSpec(
        "school_verifier",
        "school@demo.example",
        "Demo-School-2026!",
        Role.SCHOOL_VERIFIER,
        "Linda Tran",
        organization=ELEMENTARY_SCHOOL,
    ),
)
