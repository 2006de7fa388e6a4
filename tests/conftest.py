"""Shared fixtures: settings, databases on SQLite and PostgreSQL, the app, a page-checking client."""

from __future__ import annotations

import uuid

import pytest
from argon2 import Parameters, PasswordHasher, Type
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from portal.db import make_engine
from portal.demands import services as demand_services
from portal.demands.imports.demands import SEQUENCE_RESETS
from portal.demands.services import forget_histograms
from portal.guides.delivery import forget_documents
from portal.observatory.services import forget as forget_figures
from portal.partners import accounts
from portal.revision import forget_published
from tests.support import (
    POSTGRES_URL,
    CheckedClient,
    build_app,
    enter_code,
    prepare_schema,
    shared_url_builders,
    shared_yaml_reads,
    sign_in,
)

pytest_plugins = ["tests.mailbox"]  # the `inbox` fixture: a real SMTP server for the test


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


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request) -> str:
    return request.param


CHEAP_LOOKUP = Parameters(
    type=Type.ID, version=19, salt_len=16, hash_len=32, time_cost=1, memory_cost=1024, parallelism=1
)


@pytest.fixture(scope="session", autouse=True)
def _app_parts_made_once():
    """Each test builds its own app; what every app would make again from the same files is made once
    per run (tests/support.py, as for the compiled templates)."""
    with shared_url_builders(), shared_yaml_reads():
        yield


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
    forget_histograms()
    yield
    forget_published()
    forget_documents()
    forget_figures()
    forget_histograms()


@pytest.fixture
def db(backend, engines) -> Session:
    """A session on each backend in turn, inside a transaction rolled back after the test."""
    connection = engines(backend).connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    yield session
    session.close()
    outer.rollback()
    if backend == "postgresql":
        # A demands import moves the sequences past its own ids, and a sequence is not rolled back:
        # set them past the demo data again, or the next test's new demand takes an existing id.
        with connection.begin():
            for statement in SEQUENCE_RESETS:
                connection.execute(text(statement))
    connection.close()


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


@pytest.fixture(name="sign_in")
def sign_in_fixture():
    """`sign_in(client, who, password=..., next_code=False)`: a partner signed in, second factor included."""
    return sign_in


@pytest.fixture(name="enter_code")
def enter_code_fixture():
    """`enter_code(client, code)`: the answer to the second factor's step."""
    return enter_code


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_engine(request, tmp_path):
    """A database of its own, with no table yet."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'migrate.db'}")
        yield engine
        engine.dispose()
        return
    admin = create_engine(make_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    name = f"portal_migrate_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False))
    yield engine
    engine.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
