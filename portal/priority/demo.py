"""Demonstration objectives for `portal init --demo`: the law's floor (a quarter and a quarter) for this
year, for each demonstration reservation holder and landlord, so that the objectives pages, the
observatory and the dashboards show the demonstration allocations against them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.priority import objectives
from portal.priority.models import Objective

SLUGS = ("action-logement", "etat-sarthe", "le-mans-metropole", "lmh", "sarthe-habitat-demo", "esh-demo")


def add_demo_objectives(session: Session, today: dt.date) -> int:
    """Set them once (nothing when any objective exists); how many."""
    if session.scalar(select(func.count()).select_from(Objective)):
        return 0
    made = 0
    for organisation in objectives.holders(session):
        if organisation.slug in SLUGS:
            objectives.set_objective(
                session, None, organisation, today.year, objectives.LEGAL_SHARE, objectives.LEGAL_SHARE
            )
            made += 1
    return made
