"""Accounts: sign-up, sign-in, second factor, password reset."""
