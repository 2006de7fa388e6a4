"""`portal territory …` and `portal content …`: the territory's communes and the information pages."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from portal import db
from portal.content import ContentError, territory_tokens
from portal.information.loader import load_pages, stamp_translation
from portal.information.services import reindex
from portal.territory.services import current_territory, sync_communes


@click.group("territory")
def territory_group() -> None:
    """The territory and its communes."""


@territory_group.command("load")
@with_appcontext
def territory_load() -> None:
    """Make the communes in the database match content/territory.yaml."""
    load_territory()


def load_territory() -> None:
    territory = current_territory()
    with db.database().sessions.begin() as session:
        changed, removed = sync_communes(session, territory)
    content_dir = current_app.config["PORTAL_SETTINGS"].content_dir
    click.echo(
        f"Territory {territory.name}: {len(territory.communes)} communes "
        f"({changed} added or updated, {removed} removed) from {content_dir}."
    )


@click.group("content")
def content_group() -> None:
    """Information pages from content/pages/."""


@content_group.command("load")
@with_appcontext
def content_load() -> None:
    """Publish the pages of content/pages/ that changed, and rebuild the search index."""
    load_content()


@content_group.command("stamp")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def content_stamp(files: tuple[Path, ...]) -> None:
    """Record in translation FILES that they now translate the current French text."""
    pages_dir = current_app.config["PORTAL_SETTINGS"].content_dir / "pages"
    for path in files:
        click.echo(f"{path}: source_hash {stamp_translation(path.resolve(), pages_dir)[:12]}…")


def load_content() -> None:
    """Load the pages in one transaction: a bad file is reported and nothing changes."""
    settings = current_app.config["PORTAL_SETTINGS"]
    territory = current_territory()
    try:
        with db.database().sessions.begin() as session:
            report = load_pages(
                session, settings.content_dir / "pages", settings.locales, set(territory.link_hosts)
            )
            entries = reindex(session, settings.locales, territory_tokens(territory))
    except ContentError as exc:
        raise click.ClickException(f"content not loaded, nothing changed:\n{exc}") from exc
    click.echo(f"Information pages: {report.summary()}; {entries} search entries.")


COMMANDS = (territory_group, content_group)
