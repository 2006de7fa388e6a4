"""Background work on Huey: what takes more than a moment (e-mails, guides to print…) runs in a consumer
(`portal worker`), never inside a web request.

Areas declare their jobs with `@job(...)` and their periodic tasks with `@periodic(...)` in their own
`jobs.py`; `init_app` gives each app a Huey of its own (SQLite storage in the instance folder by default,
Redis when `PORTAL_REDIS_URL` is set, so consumers on any number of machines share one queue) and
registers every declared job in it, wrapped so that it runs inside the app's context. Views and commands
call `enqueue(job, ...)`, or `after_commit(session, job, ...)` when the job must only run once the
request's changes are committed (an e-mail about a change that was rolled back is never sent).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import redis
from flask import Flask, current_app
from huey import Huey, MemoryHuey, PriorityRedisHuey, SqliteHuey, crontab
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

# The modules that declare jobs, imported by init_app (an explicit list: nothing registers by accident).
JOB_MODULES = (
    "portal.mail",
    "portal.sessions",
    "portal.jobs.records",
    "portal.partners.throttle",
    "portal.partners.tokens",
    "portal.guides.jobs",
    "portal.demands.imports.jobs",
    "portal.demands.jobs",
    "portal.exchange.jobs",
    "portal.rehousing.jobs",
    "portal.priority.jobs",
    "portal.observatory.jobs",
    "portal.backoffice.accounts.notifications",
    "portal.backoffice.desks.notifications",
    "portal.backoffice.priority.flux_reports",
)


@dataclass(frozen=True)
class JobSpec:
    """How a declared job runs: retries with a delay growing by `retry_backoff`, priority (higher
    first), and for a periodic task its schedule (crontab fields, in UTC)."""

    func: Callable
    retries: int = 0
    retry_delay: int = 0
    retry_backoff: float = 1.0
    priority: int = 0
    schedule: dict[str, str] | None = None

    @property
    def name(self) -> str:
        return f"{self.func.__module__}.{self.func.__qualname__}"


_declared: dict[str, JobSpec] = {}


def job(retries: int = 0, retry_delay: int = 0, retry_backoff: float = 1.0, priority: int = 0) -> Callable:
    """Declare a function as a job; calling it directly still runs it here and now."""

    def declare(func: Callable) -> Callable:
        spec = JobSpec(func, retries, retry_delay, retry_backoff, priority)
        _declared[spec.name] = spec
        return func

    return declare


def periodic(**schedule: str) -> Callable:
    """Declare a periodic task run by the consumer, e.g. `@periodic(minute="10", hour="0")` (UTC)."""

    def declare(func: Callable) -> Callable:
        spec = JobSpec(func, schedule=schedule)
        _declared[spec.name] = spec
        return func

    return declare


@dataclass
class Jobs:
    """The app's queue: its Huey and the registered wrapper of each declared job."""

    huey: Huey
    wrappers: dict[str, object] = field(default_factory=dict)

    def wrapper(self, func: Callable):
        name = f"{func.__module__}.{func.__qualname__}"
        try:
            return self.wrappers[name]
        except KeyError:
            raise LookupError(f"{name} is not a declared job (see portal.jobs.JOB_MODULES)") from None


def make_huey(settings) -> Huey:
    name = "portal"
    if settings.jobs_immediate:
        return MemoryHuey(name, immediate=True, results=False)
    if settings.redis_url:
        # Timeouts: a Redis that does not answer must not hold a web request for long.
        pool = redis.ConnectionPool.from_url(settings.redis_url, socket_connect_timeout=2, socket_timeout=10)
        return PriorityRedisHuey(name, connection_pool=pool, results=False)
    settings.instance_dir.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(name, filename=str(settings.instance_dir / "jobs.db"), results=False)


def init_app(app: Flask) -> None:
    settings = app.config["PORTAL_SETTINGS"]
    for module in JOB_MODULES:
        importlib.import_module(module)
    jobs = Jobs(make_huey(settings))
    for spec in _declared.values():
        run = _in_app_context(app, spec.func)
        options = {
            "retries": spec.retries,
            "retry_delay": spec.retry_delay,
            "retry_backoff": spec.retry_backoff,
            "priority": spec.priority,
            "name": spec.func.__qualname__,  # Huey names it after its module too: portal.mail.deliver
        }
        if spec.schedule is not None:
            jobs.wrappers[spec.name] = jobs.huey.periodic_task(crontab(**spec.schedule), **options)(run)
        else:
            jobs.wrappers[spec.name] = jobs.huey.task(**options)(run)
    app.extensions["portal.jobs"] = jobs


def _in_app_context(app: Flask, func: Callable) -> Callable:
    def run(*args, **kwargs):
        with app.app_context():
            return func(*args, **kwargs)

    run.__name__ = func.__name__
    run.__module__ = func.__module__
    run.__doc__ = func.__doc__
    return run


def jobs() -> Jobs:
    return current_app.extensions["portal.jobs"]


def enqueue(func: Callable, *args, priority: int | None = None, delay: float | None = None, **kwargs):
    """Put a declared job on the queue (run at once in immediate mode, as in most tests)."""
    wrapper = jobs().wrapper(func)
    return jobs().huey.enqueue(wrapper.s(*args, priority=priority, delay=delay, **kwargs))


def submit(func: Callable, *args, **kwargs) -> bool:
    """Enqueue from a web request: a queue that is away (Redis down) is logged, never a 500 for the
    person; False then."""
    try:
        enqueue(func, *args, **kwargs)
    except Exception:
        log.exception("job %s not queued", func.__qualname__)
        return False
    return True


def after_commit(session: Session, func: Callable, *args, **kwargs) -> None:
    """Enqueue the job once `session` commits; forgotten if it rolls back."""
    session.connection()  # inside a transaction, even when nothing was written yet
    pending = session.info.setdefault("portal.after_commit", [])
    pending.append((current_app._get_current_object(), func, args, kwargs))


@event.listens_for(Session, "after_commit")
def _enqueue_pending(session: Session) -> None:
    pending = session.info.pop("portal.after_commit", [])
    for app, func, args, kwargs in pending:
        with app.app_context():
            submit(func, *args, **kwargs)  # the change is committed: a queue that is away is only logged


@event.listens_for(Session, "after_soft_rollback")
def _forget_pending(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint inside it
        session.info.pop("portal.after_commit", None)


def run_consumer(app: Flask, workers: int) -> None:
    """The consumer of `portal worker`: `workers` threads, and the periodic tasks.

    On the SQLite storage an idle worker polls the queue, backing off up to `max_delay`: huey's 10 s would
    leave a job page "waiting for its turn" that long, so it is 1 s (Redis blocks on the queue instead)."""
    huey = app.extensions["portal.jobs"].huey
    consumer = huey.create_consumer(workers=workers, worker_type="thread", periodic=True, max_delay=1.0)
    consumer.run()
