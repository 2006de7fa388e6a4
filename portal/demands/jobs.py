"""The stored demands' long work that follows the grid, run by the job consumer with its progress: a
draft's impact on every active demand, a version put in force today (every demand scored again); and
the nightly task that replaces cron: the versions whose day has come, and every demand scored again
(seniority moves every day).

The grid's rules (drafts, versions, activation, the version in force) are the cotation area's
operations; these jobs call them and score the demands. An activation holds the territory's data lock,
as imports do. Its first step (the status change, one transaction) is done once; scoring again is
idempotent, so a consumer killed while scoring leaves every demand either scored with the old grid or
the new one, and the nightly scoring (or a new activation) finishes the work.
"""

from __future__ import annotations

import datetime as dt
import logging

from flask import render_template
from flask_babel import force_locale, format_date, gettext

from portal import clock, db
from portal.cotation import operations
from portal.demands import reminders
from portal.demands.chances import rebuild_outcomes
from portal.demands.impact import grid_impact, impact_to_dict
from portal.demands.scoring import demand_count, rescore_all, take_effect
from portal.guides.jobs import prerender_all
from portal.information.services import scoring_ceilings
from portal.jobs import after_commit, periodic
from portal.jobs.models import JobRecord
from portal.jobs.records import N_, Refused, Tracker, tracked
from portal.mail import queue_mail
from portal.partners import audit
from portal.partners.models import User
from portal.urls import public_url_for

log = logging.getLogger(__name__)


def _draft(record: JobRecord):
    draft = operations.find_version(db.session(), record.params["code"], record.params["version"])
    if draft is None or operations.fingerprint(draft) != record.params["fingerprint"]:
        raise Refused(N_("The draft changed meanwhile: look at it again, then start again."))
    return draft


@tracked()
def compute_impact(record: JobRecord, tracker: Tracker) -> dict:
    """Score every active demand with the grid in force and with the draft, on the same day."""
    draft = _draft(record)
    tracker.step(N_("Scoring the demands with both grids"), total=demand_count())
    impact = grid_impact(
        db.session(),
        operations.grid_file(draft),
        dt.date.fromisoformat(record.params["day"]),
        scoring_ceilings(dt.date.fromisoformat(record.params["day"])),
        progress=tracker.advance,
    )
    db.session().rollback()  # nothing was written: end the reading transaction
    return {"impact": impact_to_dict(impact), "endpoint": "backoffice_grids.impact"}


@tracked()
def activate_today(record: JobRecord, tracker: Tracker) -> dict:
    """The draft in force from today: the version it replaces retired, every demand scored again."""
    dbs = db.session()
    draft = _draft(record)
    today = clock.today()
    tracker.step(N_("Putting the version in force"))
    try:
        operations.activate(dbs, dbs.get(User, record.user_id), record.organisation_id, draft, today, today)
    except operations.GridRefused:  # checked when asked; changed meanwhile
        raise Refused(N_("The draft changed meanwhile: look at it again, then start again.")) from None
    after_commit(dbs, prerender_all)  # the guides and grid sheets print the grid in force
    dbs.commit()
    tracker.step(N_("Scoring the demands"), total=demand_count())
    scored, changed = rescore_all(progress=tracker.advance)
    audit.record(
        dbs,
        dbs.get(User, record.user_id),
        record.organisation_id,
        "grid.rescored",
        f"{draft.code} v{draft.version}",
        after={"scored": scored, "changed": changed},
    )
    dbs.commit()
    return {"scored": scored, "changed": changed, "endpoint": "backoffice_grids.version"}


@periodic(minute="5", hour="0")
def score_daily() -> None:
    """Every night at 00:05 UTC: the versions activated for a later date come in force on their day,
    every active demand is scored again (seniority moves every day), and what past demands became is
    counted again (the cohorts move on with the months)."""
    dbs = db.session()
    due = take_effect(dbs, clock.today())
    dbs.commit()
    scored, changed = rescore_all()
    rebuild_outcomes(dbs, clock.today())  # the cohorts move on with the months
    dbs.commit()
    log.info("in force: %s; %s demands scored, %s changed", ", ".join(due) or "unchanged", scored, changed)


def send_due_reminders() -> tuple[int, int]:
    """The renewal reminders due today, each in its language with its one-click stop (RFC 8058), and the
    lapsed reminders and requests deleted; (sent, deleted)."""
    dbs = db.session()
    now, today = clock.now(), clock.today()
    deleted = reminders.purge(dbs, now)
    sent = 0
    for reminder, which in reminders.due(dbs, today):
        token = reminders.new_link(reminder)
        stop = public_url_for("reminders.stop", token=token, lang_code=reminder.locale)
        with force_locale(reminder.locale):
            subject = gettext(
                "Renew your social housing demand before %(date)s",
                date=format_date(reminder.deadline, "long"),
            )
            body = render_template(
                "demands/mail_reminder.txt",
                deadline=reminder.deadline,
                which=which,
                renew=public_url_for(
                    "information.page", slug="etapes-de-la-demande", lang_code=reminder.locale
                ),
                stop=stop,
            )
        one_click = public_url_for("reminders.stop_one_click", token=token, lang_code=reminder.locale)
        headers = {
            "List-Unsubscribe": f"<{one_click}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
        queue_mail(dbs, reminder.email, subject, body, f"renewal reminder ({which})", headers)
        setattr(reminder, f"{which}_sent", True)
        sent += 1
    dbs.commit()
    log.info("renewal reminders: %s sent, %s deleted", sent, deleted)
    return sent, deleted


@periodic(minute="0", hour="8")
def remind_renewals() -> None:
    """Every morning at 08:00 UTC (9:00 or 10:00 in Paris)."""
    send_due_reminders()
