"""The help desk's phone number and email as links people can tap. No Flask here."""

from __future__ import annotations

# Letters on a phone keypad, for numbers written like 1-800-VACCINE.
_KEYS = ("", "", "ABC", "DEF", "GHI", "JKL", "MNO", "PQRS", "TUV", "WXYZ")
_KEYPAD = {letter: str(digit) for digit, letters in enumerate(_KEYS) for letter in letters}


def tel_uri(phone: str) -> str:
    """A tel: URI (RFC 3966) for a number as people write it: "1-800-555-0199" ->
    "tel:+18005550199". Ten digits, or eleven starting with 1, are North American
    (the registry is a US state's) and get +1; a leading + keeps its country code."""
    digits = "".join(c if c.isdigit() else _KEYPAD.get(c.upper(), "") for c in phone)
    if phone.strip().startswith("+"):
        return f"tel:+{digits}"
    if len(digits) == 10:
        return f"tel:+1{digits}"
    if len(digits) == 11 and digits.startswith("1"):
        return f"tel:+{digits}"
    return f"tel:{digits}"
