"""Partner back-office: organisations, accounts, roles, review workflow (built with its own issue)."""
