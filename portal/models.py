"""Every model module, imported so that Base.metadata knows every table (Alembic, tests)."""

from portal.accounts import models as accounts_models  # noqa: F401
from portal.alerts import models as alerts_models  # noqa: F401
from portal.audit import models as audit_models  # noqa: F401
from portal.exchange import models as exchange_models  # noqa: F401
from portal.linking import models as linking_models  # noqa: F401
from portal.mail import models as mail_models  # noqa: F401
from portal.orm import Base
from portal.proof import models as proof_models  # noqa: F401
from portal.registry import access_log, doses, organizations, patients  # noqa: F401
from portal.reminders import models as reminders_models  # noqa: F401
from portal.requests import models as requests_models  # noqa: F401
from portal.requests import viewing as requests_viewing  # noqa: F401

metadata = Base.metadata
