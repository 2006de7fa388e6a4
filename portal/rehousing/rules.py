"""The rules of a household's rehousing, as pure functions over plain values: where it stands, which of
its recorded needs an offer misses, and how many suitable offers it has refused (three end its right to
stay in the dwelling: CCH L.353-15 III and L.442-6, offers meeting article 13 bis of the law of
1 September 1948)."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from portal.rehousing.models import REFUSALS_THAT_COUNT


@dataclass(frozen=True)
class Needs:
    """What a household needs from a dwelling, as its social survey recorded it."""

    wished_type: str
    wished_communes: tuple[str, ...]  # any commune when empty
    accessibility: bool
    rent_ceiling: Decimal | None  # the most it can pay after aid, € a month


@dataclass(frozen=True)
class OfferFacts:
    dwelling_type: str
    commune_insee: str
    step_free: bool
    rent: Decimal
    rent_after_aid: Decimal | None


def unmet_needs(needs: Needs, offer: OfferFacts) -> list[str]:
    """The needs an offer misses, as codes: "type", "commune", "accessibility", "rent" (the rent after aid,
    or the rent when the aid is not known, above the household's ceiling). Empty: it meets them all."""
    missed = []
    if offer.dwelling_type != needs.wished_type:
        missed.append("type")
    if needs.wished_communes and offer.commune_insee not in needs.wished_communes:
        missed.append("commune")
    if needs.accessibility and not offer.step_free:
        missed.append("accessibility")
    paid = offer.rent_after_aid if offer.rent_after_aid is not None else offer.rent
    if needs.rent_ceiling is not None and paid > needs.rent_ceiling:
        missed.append("rent")
    return missed


def status_of(decisions: Iterable[tuple[str, bool]], left: bool) -> str:
    """Where a household stands from its offers' (decision, moved) pairs: left otherwise, rehoused once it
    moved into an accepted offer, in progress once it had an offer, not started before."""
    if left:
        return "left"
    decisions = list(decisions)
    if any(decision == "accepted" and moved for decision, moved in decisions):
        return "rehoused"
    return "in_progress" if decisions else "not_started"


def suitable_refusals(offers: Iterable[tuple[str, bool]]) -> int:
    """How many of a household's (decision, suitable) offers were suitable and refused."""
    return sum(1 for decision, suitable in offers if decision == "refused" and suitable)


def refusal_stage(refused: int) -> str:
    """ "" below two suitable refusals, "warning" at the last one before the consequence, "reached" after."""
    if refused >= REFUSALS_THAT_COUNT:
        return "reached"
    return "warning" if refused == REFUSALS_THAT_COUNT - 1 else ""


def median(values: Iterable[float]) -> float | None:
    values = list(values)
    return statistics.median(values) if values else None


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None
