"""What the situation page, the statement PDF and the desk agents' tool show of a demand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import format_date, format_decimal, format_percent, ngettext
from flask_babel import gettext as _

from portal import clock, db
from portal.clock import months_before
from portal.cotation.grids import GridText
from portal.cotation.services import grid_version
from portal.demands import chances, services
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


@dataclass(frozen=True)
class CurvePoint:
    months: int
    share: float
    x: float
    y: float


# The outcome curve's drawing, in viewBox units: months 0 to 36 across, shares 0 to 100 % up.
CURVE_WIDTH, CURVE_HEIGHT = 420, 210
CURVE_LEFT, CURVE_RIGHT, CURVE_TOP, CURVE_BOTTOM = 48, 396, 24, 172


def curve_points(outcome: chances.Outcome, rtl: bool = False) -> list[CurvePoint]:
    """Where the curve's points fall (mirrored for right-to-left languages), the origin first."""
    span = chances.HORIZONS[-1]

    def point(months: int, share: float) -> CurvePoint:
        x = CURVE_LEFT + (CURVE_RIGHT - CURVE_LEFT) * months / span
        return CurvePoint(
            months,
            share,
            round(CURVE_WIDTH - x if rtl else x, 1),
            round(CURVE_BOTTOM - (CURVE_BOTTOM - CURVE_TOP) * share, 1),
        )

    return [point(0, 0.0), *(point(months, share) for months, share in outcome.within)]


def chances_context(demand: Demand, today: dt.date, ties, own_ahead: int | None = None) -> dict:
    """The outcome of similar demands and the what-if, for an active demand with a place in the queue
    (`own_ahead`: its position's count, when the caller has it)."""
    if demand.status != "active" or demand.score_total is None:
        return {"outcome": None, "options": ()}
    outcome, options = chances.what_if(db.session(), demand, today, ties, own_ahead)
    return {"outcome": outcome, "options": options}


def situation_context(demand: Demand) -> dict:
    """Everything the situation page and the statement show."""
    today = clock.today()
    territory = current_territory()
    grid_file = grid_version(db.session(), demand.grid_code, demand.grid_version)
    ties = grid_file.grid.ties if grid_file else ()
    # A demand the grid does not score has no place in the queue.
    scored = demand.score_total is not None
    position = services.queue_position(db.session(), demand, ties) if scored else None
    return {
        **chances_context(demand, today, ties, position.ahead if position else None),
        "demand": demand,
        "grid_file": grid_file,
        "position": position,
        "wait": services.waiting_time(db.session(), demand, today),
        "today": today,
        "renewal_soon": demand.status == "active" and demand.expires_on - today <= dt.timedelta(days=31),
        "dalo_from": add_months(demand.filed_on, territory.abnormal_delay_months),
        "decision": services.latest_decision(demand),
        "pick": GridText.pick,
        "priorities": [line for line in demand.score_lines if line["code"] in PRIORITY_CODES],
    }


def format_share(share: float) -> str:
    return format_percent(share, "#,##0 %")


def format_month(day: dt.date) -> str:
    return format_date(day, "MMMM y")


def horizon_label(months: int) -> str:
    if months % 12:
        return ngettext("%(num)s month", "%(num)s months", months)
    return ngettext("%(num)s year", "%(num)s years", months // 12)


def outcome_rows(outcome: chances.Outcome) -> list[list[str]]:
    rows = [
        [_("Housed within %(time)s", time=horizon_label(months)), format_share(share)]
        for months, share in outcome.within
    ]
    return [
        *rows,
        [_("Housed to date"), format_share(outcome.housed)],
        [_("Still waiting"), format_share(outcome.waiting)],
        [_("Ended otherwise (struck off)"), format_share(outcome.ended)],
    ]


def option_label(option: chances.Option, demand: Demand) -> str:
    if option.kind == "neighbours":
        return _(
            "Also the communes within %(km)s km: %(communes)s",
            km=chances.NEIGHBOUR_KM,
            communes=", ".join(chances.commune_names(option.added_communes)),
        )
    if option.kind == "type":
        return _("Also a %(type)s", type=", ".join(option.added_types))
    return _(
        "Your choices today: %(type)s, first choice %(commune)s",
        type=demand.dwelling_type,
        commune=", ".join(chances.commune_names(option.communes)),
    )


def option_rows(options: list[chances.Option], demand: Demand) -> list[list[str]]:
    too_few = _("too few to say")

    def share(option: chances.Option, months: int) -> str:
        return format_share(option.outcome.share_within(months)) if option.outcome else too_few

    return [
        [
            option_label(option, demand),
            format_decimal(option.ahead, "#,##0"),
            format_decimal(option.total, "#,##0"),
            share(option, 12),
            share(option, 24),
        ]
        for option in options
    ]


def chances_globals() -> dict:
    """What the outcome and what-if templates use."""
    return {
        "curve_points": curve_points,
        "curve": {
            "width": CURVE_WIDTH,
            "height": CURVE_HEIGHT,
            "left": CURVE_LEFT,
            "right": CURVE_RIGHT,
            "top": CURVE_TOP,
            "bottom": CURVE_BOTTOM,
        },
        "horizon_label": horizon_label,
        "outcome_rows": outcome_rows,
        "option_rows": option_rows,
        "neighbour_km": chances.NEIGHBOUR_KM,
        "min_cohort": chances.MIN_COHORT,
    }
