"""What the situation page, the statement PDF and the desk agents' tool show of a demand."""

from __future__ import annotations

import datetime as dt

from portal import clock, db
from portal.clock import months_before
from portal.cotation.grids import GridText
from portal.cotation.services import grid_version
from portal.demands import services
from portal.demands.models import Demand
from portal.territory.services import current_territory

# The score lines that stand for a priority situation (L.441-1 and DALO), listed apart on the page.
PRIORITY_CODES = (
    "dalo",
    "pdalhpd",
    "violences",
    "handicap",
    "expulsion",
    "sans_logement",
    "hebergement_temporaire",
    "renouvellement_urbain",
)


def add_months(day: dt.date, months: int) -> dt.date:
    return months_before(day, -months)


def situation_context(demand: Demand) -> dict:
    """Everything the situation page and the statement show."""
    today = clock.today()
    territory = current_territory()
    grid_file = grid_version(db.session(), demand.grid_code, demand.grid_version)
    return {
        "demand": demand,
        "grid_file": grid_file,
        # A demand the grid does not score has no place in the queue.
        "position": services.queue_position(db.session(), demand, grid_file.grid.ties if grid_file else ())
        if demand.score_total is not None
        else None,
        "wait": services.waiting_time(db.session(), demand, today),
        "today": today,
        "renewal_soon": demand.status == "active" and demand.expires_on - today <= dt.timedelta(days=31),
        "dalo_from": add_months(demand.filed_on, territory.abnormal_delay_months),
        "decision": services.latest_decision(demand),
        "pick": GridText.pick,
        "priorities": [line for line in demand.score_lines if line["code"] in PRIORITY_CODES],
    }
