"""Proving parenthood and linking registry records to an account.

rules.py          matching, codes, ages and the lock-out, as plain functions
models.py         links, one-time-code challenges, access codes, attempts, teen invitations
services.py       active_link_for / active_links (used by other features), linking, My records;
                  LINK_IN_FORCE, the link check that records' query joins
contact_codes.py  automatic match + one-time code to the contact on file (no oracle)
access_codes.py   printed access codes: issue_access_code, redeem
manual.py         manual verification requests (Request kind VERIFICATION)
documents.py      what an uploaded file really is, and where it is stored
pdf_check.py      an uploaded PDF parsed with pypdf, in a limited child process
invitations.py    a parent's invitation to a teen to take over the record
attempts.py       the attempts log and the lock-out it drives
web.py, views.py, verify_views.py, forms.py, messages.py   the blueprint
commands.py       `portal issue-access-code REGISTRY_ID`
"""
