"""Requests to the help desk: manual verification, corrections, lock/unlock."""
