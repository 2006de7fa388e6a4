"""Harmonised common information: pages and their versions per locale, search, eligibility checker."""
