"""`portal desks …`: the desks of content/desks.yaml, and the reminders of desks to check."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from portal import db
from portal.backoffice.desks.notifications import send_reminders
from portal.content import ContentError
from portal.desks.loader import load_desks


@click.group("desks")
def desks_group() -> None:
    """Desks of the reception and information network."""


@desks_group.command("load")
@with_appcontext
def desks_load() -> None:
    """Add or update the desks of content/desks.yaml (desks changed later in the database are kept)."""
    load_desks_file()


def load_desks_file() -> None:
    path = current_app.config["PORTAL_SETTINGS"].content_dir / "desks.yaml"
    if not path.exists():
        click.echo(f"No {path}: no desk loaded.")
        return
    try:
        with db.database().sessions.begin() as session:
            report = load_desks(session, path)
    except ContentError as exc:
        raise click.ClickException(f"desks not loaded, nothing changed:\n{exc}") from exc
    click.echo(f"Desks: {report.summary()}.")


@desks_group.command("remind")
@with_appcontext
def desks_remind() -> None:
    """E-mail each organisation's editors and administrators the desks whose hours they have not confirmed
    for PORTAL_DESK_REMINDER_MONTHS months (the job consumer does it every Monday)."""
    done = send_reminders()
    click.echo(
        f"{done.desks} desks to check in {done.organisations} organisations: "
        f"{done.sent} reminders sent"
        + (f", {done.failed} not sent (mail server)" if done.failed else "")
        + "."
    )
    if done.failed:
        raise SystemExit(1)


COMMANDS = (desks_group,)
