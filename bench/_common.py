"""What the benchmarks share: a database of their own, with the demo content, on either backend."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

POSTGRES_URL = os.environ.get("PORTAL_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@contextmanager
def temporary_postgres_database() -> Iterator[str]:
    """The URL of a new, empty database on the test server; dropped afterwards."""
    admin = create_engine(make_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    name = f"portal_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def init_database(database_url: str, instance_dir: Path, environ: dict | None = None) -> None:
    """`portal init` on that database: schema, territory, pages and search index, as in production
    (`environ`: the child's environment, to give it another content folder)."""
    environ = environ or dict(
        os.environ,
        PORTAL_DATABASE_URL=database_url,
        PORTAL_INSTANCE_DIR=str(instance_dir),
        PORTAL_ENV="development",
        PORTAL_LOG_LEVEL="WARNING",
    )
    subprocess.run(
        [str(Path(sys.executable).with_name("portal")), "init"],
        env=environ,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def bench_settings(database_url: str, instance_dir: Path, content_dir: Path | None = None):
    """Settings for an app measured in-process: no rate limit in the way of one client asking often."""
    from portal.config import load_settings

    return load_settings(
        environ={},
        env="testing",
        instance_dir=instance_dir,
        secret_key="bench",
        database_url=database_url,
        ratelimit_default="1000000 per minute",
        **({"content_dir": content_dir} if content_dir else {}),
    )


def open_session(client, kind: str, minutes: int, **owner) -> None:
    """A server-side session of `kind` for `owner` (demand_id=… or tenant_id=…), its cookie put in the
    test client, as the look-up or a sign-in makes one (their deliberate Argon2 cost aside)."""
    import datetime as dt
    import hashlib
    import secrets

    from portal import db, sessions

    token = secrets.token_urlsafe(32)
    now = dt.datetime.now(dt.UTC)
    dbs = db.session()
    dbs.add(
        sessions.AuthSession(
            token_hash=hashlib.sha256(token.encode()).hexdigest(),
            kind=kind,
            created_at=now,
            seen_at=now,
            expires_at=now + dt.timedelta(minutes=minutes),
            ends_at=now + dt.timedelta(minutes=minutes),
            **owner,
        )
    )
    dbs.commit()
    with client.session_transaction() as cookie:
        cookie[sessions.COOKIE_KEY] = token
