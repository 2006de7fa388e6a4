"""`portal users create-admin`: the first account of an organisation."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from portal import db
from portal.partners import operations


@click.group("users")
def users_group() -> None:
    """Partner accounts."""


@users_group.command("create-admin")
@click.option("--email", required=True, help="The person's email address (their sign-in).")
@click.option("--name", required=True, help="The person's name.")
@click.option("--organisation", "organisation_slug", required=True, help="The organisation's slug.")
@click.option(
    "--reviewer", is_flag=True, help="Also a reviewer (publishes content and grids; EPCI organisations only)."
)
@click.password_option(
    "--password", help="Asked twice when not given (never on the command line in scripts)."
)
@with_appcontext
def users_create_admin(email: str, name: str, organisation_slug: str, reviewer: bool, password: str) -> None:
    """Create the first account: an administrator of an organisation (two-step sign-in at first use)."""
    try:
        with db.database().sessions.begin() as session:
            user, organisation, roles = operations.create_admin(
                session, email, name, organisation_slug, reviewer, password
            )
            email, organisation_name = user.email, organisation.name
    except operations.AccountRefused as refused:
        raise click.BadParameter(str(refused), param_hint=refused.field) from refused
    click.echo(
        f"{email}: {', '.join(roles)} of {organisation_name}. Two-step sign-in is set up at first sign-in."
    )


COMMANDS = (users_group,)
