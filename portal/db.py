"""SQLAlchemy 2: one engine per app, one session per request, the declarative Base."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, g
from sqlalchemy import Engine, MetaData, create_engine, event, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

SQLITE_BUSY_MS = 15_000  # how long a write on SQLite waits for another connection's write to end

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every model; constraint names are stable so migrations stay portable."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


@dataclass
class Database:
    """The app's engine and the factory its request sessions come from."""

    engine: Engine
    sessions: sessionmaker[Session]


def make_engine(url: str) -> Engine:
    """An engine for SQLite or PostgreSQL, with the options each needs."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_MS / 1000}, hide_parameters=True)

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_connection, _record):
            # Let SQLAlchemy, not the sqlite3 module, open transactions, so SAVEPOINT works.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            # WAL with synchronous=NORMAL never corrupts the file; a power cut may lose the last commit.
            cursor.execute("PRAGMA synchronous=NORMAL")
            # 64 MB of page cache (allocated as used): bulk rescoring moves entries all over the queue index.
            cursor.execute("PRAGMA cache_size=-65536")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection):
            connection.exec_driver_sql("BEGIN")

        return engine
    # pre_ping replaces connections that died while the server was away, so the app
    # recovers by itself when PostgreSQL comes back.
    return create_engine(
        url,
        pool_pre_ping=True,
        hide_parameters=True,  # errors and logs never quote the values of a query
        pool_size=5,
        max_overflow=10,
        connect_args={"connect_timeout": 5},
    )


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["PORTAL_SETTINGS"].database_url)
    app.extensions["portal.db"] = Database(engine, sessionmaker(engine, expire_on_commit=False))
    app.teardown_appcontext(_close_session)


def database() -> Database:
    return current_app.extensions["portal.db"]


def session() -> Session:
    """The session of the current request (or app context), opened on first use."""
    if "db_session" not in g:
        g.db_session = database().sessions()
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    db_session = g.pop("db_session", None)
    if db_session is not None:
        db_session.close()


def is_reachable() -> bool:
    """True when the database answers a trivial query."""
    try:
        with database().engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except DBAPIError:
        return False
    return True


def write_if_free(session: Session, statement) -> bool:
    """Run a write that may be skipped: on SQLite, only if no other connection holds the database's
    write lock (it is not waited for); False, and nothing written, when one does. Elsewhere it runs."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        session.execute(statement)
        return True
    raw = connection.connection.driver_connection
    raw.execute("PRAGMA busy_timeout = 0")
    try:
        session.execute(statement)
    except OperationalError as error:
        if "locked" not in str(error.orig):
            raise
        session.rollback()
        return False
    finally:
        raw.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
    return True
