"""Factories, one module per area: each makes a valid object, any field can be overridden."""
