"""The shot record: the family's record page, the help desk's view, and the printable PDF."""
