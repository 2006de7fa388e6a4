"""The partners' pages of the urban-renewal rehousing follow-up (/partenaires/relogement)."""
