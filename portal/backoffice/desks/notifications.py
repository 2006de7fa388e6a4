"""The reminder e-mails of desks whose hours their organisation has not confirmed for a while: each
organisation's editors and administrators get the list of theirs, every Monday (a periodic task of the
job consumer) or when `portal desks remind` is run."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, render_template
from flask_babel import force_locale, gettext

from portal import clock, db
from portal.desks.operations import reminder_recipients, stale_desks
from portal.jobs import periodic
from portal.mail import MailError, send_mail
from portal.urls import public_url_for


@dataclass(frozen=True)
class Reminders:
    desks: int
    organisations: int
    sent: int
    failed: int


def send_reminders() -> Reminders:
    """E-mail each organisation's editors and administrators their desks to check (in French: the
    workspace's language by default)."""
    settings = current_app.config["PORTAL_SETTINGS"]
    sent = failed = 0
    session = db.session()
    stale = stale_desks(session, clock.today(), settings.desk_reminder_months)
    by_organisation: dict = {}
    for desk in stale:
        by_organisation.setdefault(desk.organisation, []).append(desk)
    for organisation, desks in by_organisation.items():
        link = public_url_for("backoffice.desks", slug=organisation.slug)
        for user in reminder_recipients(session, organisation):
            with force_locale("fr"):
                body = render_template(
                    "backoffice/mail_desk_reminder.txt",
                    user=user,
                    organisation=organisation,
                    desks=desks,
                    months=settings.desk_reminder_months,
                    link=link,
                )
                subject = gettext("Desks to check")
            try:
                send_mail(settings, user.email, subject, body, "desk reminder")
                sent += 1
            except MailError:
                failed += 1
    return Reminders(len(stale), len(by_organisation), sent, failed)


@periodic(minute="0", hour="7", day_of_week="1")
def remind_weekly() -> None:
    """Every Monday morning (07:00 UTC)."""
    send_reminders()
