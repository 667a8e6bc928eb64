"""Signed proof on the printed shot record, and the school verifier.

`cards/` is the SMART Health Cards library (pure functions). Around it:
`keyring` (which key signs, which keys verify), `issuance` (a new card for a
record, revoking the older ones), `revocation` (the CRL served from the
database), `verification` (what /verify answers), `current` (the running
app's keyring and the one-line entry point the PDF view calls) and `views`.
"""
