"""Demands: pseudonymised demand records, the secure look-up, the position among similar demands."""
