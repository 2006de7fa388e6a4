"""Alembic migrations; `portal db upgrade` applies them (also run by `portal init`)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent


# Search structures that only one backend has (FTS5 on SQLite, a GIN index on PostgreSQL); they are
# made by migrations, not by the models, so comparisons leave them out.
BACKEND_ONLY = ("search_fts", "search_entry_fts")


def include_name(name: str | None, type_: str, _parents: dict) -> bool:
    """Alembic filter: skip the backend-only search structures."""
    return not (name and type_ in ("table", "index") and name.startswith(BACKEND_ONLY))


def alembic_config(engine: Engine) -> Config:
    """An Alembic config bound to the app's engine; no alembic.ini to keep in step."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", str(MIGRATIONS_DIR / "versions"))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    command.downgrade(alembic_config(engine), revision)
