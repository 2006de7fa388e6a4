"""Shared fixtures: settings, databases on SQLite and PostgreSQL, the app, a page-checking client."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from argon2 import Parameters, PasswordHasher, Type
from flask.testing import FlaskClient
from flask_babel import force_locale, gettext
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from portal import create_app, migrations
from portal.config import load_settings
from portal.content import territory_tokens
from portal.cotation.services import load_grids, stored_grids
from portal.db import make_engine
from portal.demands import services as demand_services
from portal.demands.demo import DEMO_DAY
from portal.demands.demo import generate as generate_demands
from portal.desks.loader import load_desks
from portal.guides.delivery import forget_documents
from portal.information.loader import load_pages
from portal.information.services import reindex
from portal.observatory.services import forget as forget_figures
from portal.partners import accounts
from portal.revision import forget_published
from portal.territory.services import read_territory, sync_communes
from tests.pagecheck import check_page

pytest_plugins = ["tests.mailbox"]  # the `inbox` fixture: a real SMTP server for the test

POSTGRES_URL = os.environ.get("PORTAL_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
# Parallel workers (pytest-xdist) each get a Redis database of their own, counting down from the URL's.
_REDIS_BASE = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
REDIS_URL = _REDIS_BASE.rsplit("/", 1)[0] + f"/{int(_REDIS_BASE.rsplit('/', 1)[1]) - _WORKER}"
CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"


def make_settings(tmp_path: Path, **overrides):
    """Testing settings: a throw-away instance folder, no real secret."""
    values = {
        "env": "testing",
        "instance_dir": tmp_path / "instance",
        "secret_key": "test-secret-key",
        "database_url": f"sqlite:///{tmp_path / 'unused.db'}",
        "guides_prerender": False,  # tests that want it say so: printing every guide takes minutes
    }
    values.update(overrides)
    return load_settings(environ={}, **values)


DEMO_LOOKUPS: list[tuple[str, dt.date]] = []  # (number, birth date) of demo demands that can be looked up


def prepare_schema(engine: Engine) -> None:
    """Apply the migrations and load the demo content (communes, pages, search index, grids, 300 demands)."""
    migrations.upgrade(engine)
    territory = read_territory(CONTENT_DIR)
    locales = load_settings(environ={}, env="testing", secret_key="x", database_url="sqlite://").locales
    with sessionmaker(engine).begin() as session:
        sync_communes(session, territory)
        load_desks(session, CONTENT_DIR / "desks.yaml")
        load_pages(session, CONTENT_DIR / "pages", locales, set(territory.link_hosts))
        reindex(session, locales, territory_tokens(territory))
        load_grids(session, CONTENT_DIR)
        samples = generate_demands(
            session,
            stored_grids(session),
            [item.insee for item in territory.communes],
            300,
            DEMO_DAY,
            territory.abnormal_delay_months,
        )
    DEMO_LOOKUPS[:] = samples


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'portal.db'}"
    engine = make_engine(url)
    prepare_schema(engine)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def postgresql_url() -> str:
    """A database of our own on the test server, created for this run and dropped after it."""
    admin_url = make_url(POSTGRES_URL)
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as exc:
        pytest.fail(
            f"PostgreSQL is not reachable at {admin_url.render_as_string(hide_password=True)}: start it "
            "(pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or set "
            "PORTAL_TEST_POSTGRES_URL. The data-layer tests never skip PostgreSQL. "
            f"({type(exc.orig).__name__})",
            pytrace=False,
        )
    name = f"portal_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin_url.set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    prepare_schema(engine)
    engine.dispose()
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def engines(request):
    """One engine per backend for the whole run, made on first use."""
    made: dict[str, Engine] = {}

    def get(backend: str) -> Engine:
        if backend not in made:
            made[backend] = make_engine(request.getfixturevalue(f"{backend}_url"))
        return made[backend]

    yield get
    for engine in made.values():
        engine.dispose()


def _bind_app_to(app, connection) -> None:
    """Route the app's sessions through the test's connection, so the test's rollback undoes them."""
    app.extensions["portal.db"].sessions = sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request) -> str:
    return request.param


PRODUCTION_LOOKUP_PARAMETERS = demand_services.LOOKUP_PARAMETERS  # before the tests make them cheap
CHEAP_LOOKUP = Parameters(
    type=Type.ID, version=19, salt_len=16, hash_len=32, time_cost=1, memory_cost=1024, parallelism=1
)


@pytest.fixture(scope="session", autouse=True)
def _cheap_hashes():
    """Partner passwords and look-up hashes made with Argon2id at its lowest cost: the same code paths
    (hash, verify, the dummy hash of unknown addresses and numbers, rehash checks, the import's check of
    the parameters) without 0.02–0.2 s a hash, which thousands of demo demands and hundreds of sign-ins
    would add to the suite. Production keeps its own parameters (portal/partners/accounts.py,
    portal/demands/services.py)."""
    saved = accounts.HASHER, accounts.DUMMY_HASH, demand_services.LOOKUP_PARAMETERS
    accounts.HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    accounts.DUMMY_HASH = accounts.HASHER.hash("an unknown address costs the same time as a known one")
    demand_services.use_parameters(CHEAP_LOOKUP)
    yield
    accounts.HASHER, accounts.DUMMY_HASH = saved[:2]
    demand_services.use_parameters(saved[2])


@pytest.fixture(autouse=True)
def _fresh_content_copies():
    """Each test starts and ends without kept copies of published content (a rollback is not a publish)."""
    forget_published()
    forget_documents()
    forget_figures()
    yield
    forget_published()
    forget_documents()
    forget_figures()


@pytest.fixture
def db(backend, engines) -> Session:
    """A session on each backend in turn, inside a transaction rolled back after the test."""
    connection = engines(backend).connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    yield session
    session.close()
    outer.rollback()
    connection.close()


class CheckedClient(FlaskClient):
    """A test client that runs the page checker on every HTML page it receives."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        if response.mimetype == "text/html" and not (300 <= response.status_code < 400):
            app = self.application
            locales = app.extensions["portal.locales"]
            prefixes = {}
            for code in locales:
                with app.test_request_context(), force_locale(code):
                    prefixes[code] = gettext("Error:")
            check_page(
                response.get_data(as_text=True),
                csp_header=response.headers.get("Content-Security-Policy"),
                rtl_locales={code for code, info in locales.items() if info.rtl},
                error_prefixes=prefixes,
                link_hosts=app.extensions["portal.territory"].link_hosts,
                host=urlsplit(app.config["PORTAL_SETTINGS"].public_url).hostname,  # the portal's own
            )
        return response


def build_app(tmp_path: Path, connection=None, **overrides):
    app = create_app(make_settings(tmp_path, **overrides))
    app.test_client_class = CheckedClient
    if connection is not None:
        _bind_app_to(app, connection)
    return app


@pytest.fixture
def app(tmp_path, engines):
    """The portal on SQLite, every change rolled back after the test."""
    connection = engines("sqlite").connect()
    outer = connection.begin()
    yield build_app(tmp_path, connection)
    outer.rollback()
    connection.close()


@pytest.fixture
def db_app(tmp_path, db):
    """The portal on each backend in turn, sharing the `db` session's transaction."""
    return build_app(tmp_path, db.connection())


@pytest.fixture
def mail_app(tmp_path, db, inbox):
    """The portal on each backend in turn, sending its e-mails to the test's SMTP server (`inbox`)."""
    return build_app(
        tmp_path, db.connection(), smtp_host="127.0.0.1", smtp_port=inbox.port, smtp_starttls=False
    )


@pytest.fixture
def client(app) -> CheckedClient:
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
