"""The observatory: shared figures on the social housing stock, the demand and the allocations."""
