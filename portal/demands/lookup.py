"""The look-up of a demand by its number and its holder's date of birth, for the public page and for the
desk agents' tool: the same checks, each with its own limit per number (an agent with the applicant at the
counter must still be able to look the demand up when the public limit is reached)."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from werkzeug.exceptions import UnsupportedMediaType

from portal import db
from portal.demands import services
from portal.demands.forms import LookupForm
from portal.demands.models import Demand
from portal.security import consume

# Look-ups of one number, whoever tries: guessing a birth date takes many tries, a person needs a few.
NUMBER_LIMITS = {"public": "10 per hour", "desk": "30 per hour"}
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def refuse_other_bodies() -> None:
    """A look-up is posted by its page's form; any other body (JSON…) gets 415 and is not read."""
    if request.method == "POST" and request.mimetype not in FORM_TYPES:
        raise UnsupportedMediaType()


def find_or_explain(form: LookupForm, channel: str) -> Demand | None:
    """The demand of a valid look-up form, or None with the reason on the form: the same words for an
    unknown number and a wrong date, so nobody learns which numbers exist. Past the number's limit,
    nothing is checked and the form says where to go instead (`form.limited`)."""
    number = services.normalize_number(form.number.data)
    form.limited = not consume(NUMBER_LIMITS[channel], "lookup-number", channel, number)
    if form.limited:
        form.number.errors = [
            *form.number.errors,
            _(
                "This demand was looked up too many times in the last hour, so its look-up is paused to "
                "protect it. A desk can show it to you now: bring your registration certificate and an "
                "identity document."
            )
            if channel == "public"
            else _("This demand was looked up too many times at desks in the last hour: try again later."),
        ]
        return None
    demand = services.find_demand(db.session(), form.number.data, form.date())
    if demand is None:
        form.number.errors = [
            *form.number.errors,
            _("No demand matches this number and this date of birth. Check both, or ask a desk."),
        ]
    return demand
