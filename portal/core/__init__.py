"""Pages for everyone: home, rights, language, health check."""
