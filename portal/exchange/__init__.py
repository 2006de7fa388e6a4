"""Transfers inside social housing: the dwelling-swap exchange between social tenants."""
