"""Outgoing email and text messages, through the outbox."""
