"""The job queue with a real consumer process (`portal worker`), on SQLite storage and on Redis: what a
web request queues is done by the consumer, after the request has answered."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from portal import db
from portal.jobs import after_commit, enqueue
from portal.mail import deliver
from tests.support import REDIS_URL, build_app


def copy_database(sqlite_url: str, target) -> str:
    with sqlite3.connect(sqlite_url.removeprefix("sqlite:///")) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return f"sqlite:///{target}"


@pytest.fixture
def consumer(tmp_path, sqlite_url, inbox):
    """Start `portal worker` on a copy of the test database; yield a function that builds an app of the
    same set-up (same instance folder, same queue)."""
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
        }
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "portal"), "worker", "--workers", "1"],
            env=environ,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        processes.append(process)
        return build_app(
            tmp_path,
            None,
            database_url=database,
            jobs_immediate=False,
            redis_url=redis_url,
            smtp_host="127.0.0.1",
            smtp_port=inbox.port,
            smtp_starttls=False,
        )

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
    app = consumer(REDIS_URL if storage == "redis" else "")
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
