"""Communes of the territory."""

from __future__ import annotations

import itertools

from sqlalchemy.orm import Session

from portal.territory.models import Commune

_sequence = itertools.count(1)


def create_commune(session: Session, **overrides) -> Commune:
    number = next(_sequence)
    values = {
        "insee": f"99{number:03d}",
        "name": f"Commune d'essai {number}",
        "postcodes": "99000",
        "latitude": 48.0,
        "longitude": 0.2,
        "ceiling_zone": "other",
        "population": 1000,
    }
    values.update(overrides)
    commune = Commune(**values)
    session.add(commune)
    session.flush()
    return commune
