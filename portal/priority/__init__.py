"""Priority households and reservations in flux (the plan's actions 7, 8, 11 and 12): the shared labelling
of priority households by the coordination committee, the reservation holders' allocation objectives, the
yearly flux report and the selection of candidates for a vacant dwelling."""
