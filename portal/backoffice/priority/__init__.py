"""The partners' pages of priority households (/partenaires/prioritaires): referrals to the coordination
committee, its sessions and decisions, and the resources of the workers in contact with priority
households."""
