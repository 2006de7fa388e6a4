"""Registration desks of the reception network: hours, closures, status, locator, open data."""
