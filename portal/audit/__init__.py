"""The staff audit trail: an append-only, hash-chained table of what staff did.

`record(...)` is the one way in; every staff action calls it in the transaction
that does the action. `portal audit verify` walks the chain (chain.py).
"""

from portal.audit.actions import AuditAction
from portal.audit.service import record

__all__ = ["AuditAction", "record"]
