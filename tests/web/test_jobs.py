"""The job queue with a real consumer process (`portal worker`), on SQLite storage and on Redis: what a
web request queues is done by the consumer, after the request has answered."""

from __future__ import annotations

import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal import db
from portal.demands import services as demand_services
from portal.demands.imports import jobs as import_jobs
from portal.demands.imports import operations
from portal.demands.imports.jobs import DATA_LOCK
from portal.demands.imports.records import ImportRecord
from portal.demands.models import Demand
from portal.jobs import after_commit, enqueue, records
from portal.jobs.models import JobLock, JobRecord
from portal.mail import deliver
from tests.demand_files import demand_rows, write_csv
from tests.factories.partners import create_organisation, create_partner
from tests.support import PRODUCTION_LOOKUP_PARAMETERS, REDIS_URL, build_app


def copy_database(sqlite_url: str, target) -> str:
    with sqlite3.connect(sqlite_url.removeprefix("sqlite:///")) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return f"sqlite:///{target}"


@pytest.fixture
def consumer(tmp_path, sqlite_url, inbox):
    """Start `portal worker` on a copy of the test database; yield a function that starts it and returns
    an app of the same set-up (same instance folder, same queue) and the consumer's process."""
    database = copy_database(sqlite_url, tmp_path / "portal.db")
    processes = []

    def start(redis_url: str = ""):
        environ = {
            **os.environ,
            "PORTAL_ENV": "development",
            "PORTAL_INSTANCE_DIR": str(tmp_path / "instance"),
            "PORTAL_DATABASE_URL": database,
            "PORTAL_SECRET_KEY": "test-secret-key",
            "PORTAL_SMTP_HOST": "127.0.0.1",
            "PORTAL_SMTP_PORT": str(inbox.port),
            "PORTAL_SMTP_STARTTLS": "0",
            "PORTAL_REDIS_URL": redis_url,
            "PORTAL_GUIDES_PRERENDER": "0",
        }
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "portal"), "worker", "--workers", "1"],
            env=environ,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        processes.append(process)
        app = build_app(
            tmp_path,
            None,
            database_url=database,
            jobs_immediate=False,
            redis_url=redis_url,
            smtp_host="127.0.0.1",
            smtp_port=inbox.port,
            smtp_starttls=False,
            import_max_mb=1024,
        )
        return app, process

    yield start
    for process in processes:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


def wait_for(condition, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.parametrize("storage", ["sqlite", "redis"])
def test_a_consumer_process_does_the_queued_work(consumer, inbox, storage, redis_flushed):
    app, _process = consumer(REDIS_URL if storage == "redis" else "")
    with app.app_context():
        enqueue(deliver, "personne@exemple.fr", "Essai", "Corps du message", "test")
    assert wait_for(lambda: len(inbox.messages) == 1), "the consumer sent the e-mail"
    assert inbox.messages[0][0] == ["personne@exemple.fr"]


def test_a_job_queued_after_commit_is_forgotten_when_the_change_rolls_back(tmp_path, sqlite_url):
    app = build_app(
        tmp_path, None, database_url=copy_database(sqlite_url, tmp_path / "p.db"), jobs_immediate=False
    )
    huey = app.extensions["portal.jobs"].huey
    with app.app_context():
        session = db.session()
        after_commit(session, deliver, "a@exemple.fr", "s", "b", "test")
        session.rollback()
        session.commit()
        assert huey.pending_count() == 0, "a rolled back change tells nobody"
        after_commit(session, deliver, "a@exemple.fr", "s", "b", "test")
        assert huey.pending_count() == 0, "not before the commit"
        session.commit()
        assert huey.pending_count() == 1
    app.extensions["portal.db"].engine.dispose()


@pytest.fixture
def redis_flushed():
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield
    client.flushdb()


def job_state(app, job_id: int) -> tuple[str, dict]:
    """The job's state, and its progress (or why it failed)."""
    with app.app_context():
        record = db.session().get(JobRecord, job_id)
        return record.state, (records.read_progress(job_id) if record.state != "failed" else record.error)


def demand_count(app) -> tuple[int, int]:
    with app.app_context():
        session = db.session()
        return (
            session.scalar(select(func.count()).select_from(Demand)),
            session.scalar(select(func.count()).select_from(ImportRecord)),
        )


@pytest.mark.parametrize("storage", ["sqlite", "redis"])
def test_a_consumer_killed_mid_import_changes_nothing_and_the_job_is_reaped(
    consumer, tmp_path, storage, redis_flushed, monkeypatch
):
    app, process = consumer(REDIS_URL if storage == "redis" else "")
    cheap = demand_services.LOOKUP_PARAMETERS
    demand_services.use_parameters(PRODUCTION_LOOKUP_PARAMETERS)  # the consumer's, which the check asks
    try:
        content = write_csv(tmp_path / "demandes.csv", list(demand_rows(20_000))).read_bytes()
    finally:
        demand_services.use_parameters(cheap)
    settings = app.config["PORTAL_SETTINGS"]
    with app.app_context():
        session = db.session()
        epci = create_organisation(session, "metropole", kind="epci")
        user = create_partner(session, "admin@metropole.fr", {epci: ["admin"]})
        who = {"user_id": user.id, "organisation_id": epci.id, "lock": DATA_LOCK}
        stored = operations.store_upload(io.BytesIO(content), "demandes.csv", settings.instance_dir, 10**9)
        params = {"kind": "demands", "sha256": stored.sha256, "filename": stored.filename}
        check = records.create(session, import_jobs.check_file, "import.check", params, **who).id
        session.commit()
    assert wait_for(lambda: job_state(app, check)[0] in ("done", "failed"), 120)
    assert job_state(app, check)[0] == "done", job_state(app, check)
    before = demand_count(app)
    with app.app_context():
        session = db.session()
        who = {"user_id": user.id, "organisation_id": epci.id, "lock": DATA_LOCK}
        applying = records.create(session, import_jobs.apply_file, "import.apply", params, **who).id
        session.commit()

    def importing() -> bool:
        state, progress = job_state(app, applying)
        return state == "running" and progress.get("done", 0) > 0

    assert wait_for(importing, 120), job_state(app, applying)
    process.send_signal(signal.SIGKILL)
    process.wait()

    assert demand_count(app) == before, "nothing of the import was kept"
    assert job_state(app, applying)[0] == "running", "nobody said it ended"
    monkeypatch.setattr(records, "STALE_SECONDS", -60)  # its heartbeat is old enough
    with app.app_context():
        records.reap()
        assert db.session().get(JobLock, DATA_LOCK) is None, "the lock is free for the next import"
    assert job_state(app, applying)[0] == "failed"
    app.extensions["portal.db"].engine.dispose()


def test_the_workspace_answers_while_a_consumer_holds_the_sqlite_database(tmp_path, sqlite_url, sign_in):
    """On SQLite, a consumer applying a big file holds the write lock for minutes: a partner's request
    (the job's page polling its state) must not wait for it, so the session's sliding end is not moved
    then, and is moved by the next request."""
    path = tmp_path / "portal.db"
    app = build_app(tmp_path, None, database_url=copy_database(sqlite_url, path), jobs_immediate=False)
    with app.app_context():
        session = db.session()
        epci = create_organisation(session, "metropole", kind="epci")
        create_partner(session, "editeur@metropole.fr", {epci: ["editor"]})
        session.commit()
    client = app.test_client()
    sign_in(client, "editeur@metropole.fr")
    long_ago = "2000-01-01 00:00:00.000000"
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE auth_session SET seen_at = ?", (long_ago,))

    def seen_at() -> str:
        with sqlite3.connect(path) as connection:
            return connection.execute("SELECT seen_at FROM auth_session").fetchone()[0]

    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # what a consumer's long write holds
    try:
        assert client.get("/partenaires/travaux/").status_code == 200
        assert seen_at() == long_ago, "not moved while the database is held"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert client.get("/partenaires/travaux/").status_code == 200
    assert seen_at() != long_ago
    app.extensions["portal.db"].engine.dispose()
