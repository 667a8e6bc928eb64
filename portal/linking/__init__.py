"""Proving parenthood and linking registry records to an account."""
