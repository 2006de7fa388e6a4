"""Long work people follow: a job record made in the request that starts the work, then the consumer's
progress, outcome and failures, and the locks that keep two pieces of work on the territory's data apart.

- `create` records the job (and takes its lock) in the caller's transaction; the job is queued once that
  transaction commits, so the page the person is sent to always finds it.
- A tracked job (`@tracked(...)`) starts only if its record is still queued (a job delivered twice runs
  once), reports its progress (rows or demands done, the step) to the queue's own store (Huey's key-value
  storage, SQLite or Redis: a long write transaction on the database must not hold the progress back),
  and ends done with its result, or failed with a reason; either way its lock is released.
- A consumer killed mid-work leaves the record "running" with a stale heartbeat: `reap`, a periodic task,
  marks it failed ("interrupted") and frees its lock. The work itself runs in one transaction, or in
  steps that can be run again, so nothing is half-applied or applied twice.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import time
from collections.abc import Callable

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal import clock, db
from portal.jobs import after_commit, job, jobs, periodic
from portal.jobs.models import ACTIVE, JobLock, JobRecord

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 0.5  # progress is written at most this often
STALE_SECONDS = 180  # a running job silent for this long was interrupted


def N_(msgid: str) -> str:
    """Marks a msgid for extraction; it is translated where it is shown."""
    return msgid


INTERRUPTED = N_("The work was interrupted (the job consumer stopped); nothing was changed. Start it again.")


class Busy(Exception):
    """Another job holds the lock: `job` is it (the page links to it)."""

    def __init__(self, holder: JobRecord):
        super().__init__(holder.kind)
        self.job = holder


class Refused(Exception):
    """The work cannot be done (the reason is a msgid with its values); nothing was changed."""

    def __init__(self, msgid: str, **values):
        super().__init__(msgid)
        self.msgid, self.values = msgid, values


def _now() -> dt.datetime:
    return clock.now().astimezone(dt.UTC)


def create(
    session: Session,
    runner: Callable,
    kind: str,
    params: dict,
    user_id: int | None = None,
    organisation_id: int | None = None,
    lock: str = "",
) -> JobRecord:
    """Record a job and queue `runner(job_id)` once the caller commits. With a `lock` name, refuse
    (Busy) while another queued or running job holds it."""
    record = JobRecord(
        kind=kind,
        state="queued",
        user_id=user_id,
        organisation_id=organisation_id,
        params=params,
        result={},
        lock=lock,
        created_at=_now(),
    )
    session.add(record)
    session.flush()
    if lock:
        _take_lock(session, lock, record)
    after_commit(session, runner, record.id)
    return record


def _take_lock(session: Session, name: str, record: JobRecord) -> None:
    held = session.get(JobLock, name)
    if held is not None:
        holder = session.get(JobRecord, held.job_id)
        if holder is not None and holder.state in ACTIVE:
            raise Busy(holder)
        session.delete(held)
        session.flush()
    try:
        with session.begin_nested():
            session.add(JobLock(name=name, job_id=record.id, acquired_at=_now()))
    except IntegrityError:  # another request took it meanwhile
        holder_id = session.scalar(select(JobLock.job_id).where(JobLock.name == name))
        raise Busy(session.get(JobRecord, holder_id)) from None


def active_holder(session: Session, name: str) -> JobRecord | None:
    """The queued or running job holding this lock, if any."""
    held = session.get(JobLock, name)
    if held is None:
        return None
    holder = session.get(JobRecord, held.job_id)
    return holder if holder is not None and holder.state in ACTIVE else None


# Progress, in the queue's store ---------------------------------------------------------------------------


def _key(job_id: int) -> str:
    return f"portal.job.{job_id}"


def write_progress(job_id: int, done: int, total: int | None, step: str) -> None:
    jobs().huey.put(_key(job_id), {"done": done, "total": total, "step": step, "at": time.time()})


def read_progress(job_id: int) -> dict:
    """{done, total, step, at} as last reported (empty before the job started)."""
    try:
        value = jobs().huey.get(_key(job_id), peek=True)
    except Exception:  # the queue's store away: the page shows the state alone
        log.warning("progress of job %s not readable", job_id)
        return {}
    return value if isinstance(value, dict) else {}


class Tracker:
    """What a running job tells of its progress: the step (a msgid) and how far it is."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.step_name, self.done, self.total = "", 0, None
        self._written = 0.0

    def step(self, msgid: str, total: int | None = None) -> None:
        self.step_name, self.done, self.total = msgid, 0, total
        self._write(force=True)

    def advance(self, done: int) -> None:
        self.done = done
        self._write()

    def _write(self, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._written >= HEARTBEAT_SECONDS:
            self._written = now
            write_progress(self.job_id, self.done, self.total, self.step_name)


# Running a tracked job ------------------------------------------------------------------------------------


def begin(job_id: int) -> JobRecord | None:
    """Mark the job running if it is still queued; None when it ran already (or was reaped)."""
    dbs = db.session()
    dbs.commit()
    moved = dbs.execute(
        update(JobRecord)
        .where(JobRecord.id == job_id, JobRecord.state == "queued")
        .values(state="running", started_at=_now())
        .execution_options(synchronize_session=False)
    ).rowcount
    dbs.commit()
    if not moved:
        return None
    write_progress(job_id, 0, None, "")
    return dbs.get(JobRecord, job_id, populate_existing=True)


def end(
    job_id: int, state: str, result: dict | None = None, error: str = "", values: dict | None = None
) -> None:
    """The job's outcome, and its lock freed (a fresh transaction: the work's is over)."""
    dbs = db.session()
    dbs.rollback()
    dbs.execute(
        update(JobRecord)
        .where(JobRecord.id == job_id)
        .values(state=state, result=result or {}, error=error, error_values=values or {}, finished_at=_now())
        .execution_options(synchronize_session=False)
    )
    dbs.execute(delete(JobLock).where(JobLock.job_id == job_id))
    dbs.commit()


def tracked(retries: int = 0, priority: int = 0) -> Callable:
    """Declare work that people follow: `work(record, tracker) -> dict` (the result). It runs once per
    record; Refused ends it failed with its reason; any other error ends it failed ("unexpected error",
    logged) and nothing it did in its transaction is kept."""

    def declare(work: Callable) -> Callable:
        @functools.wraps(work)
        def run(job_id: int) -> None:
            record = begin(job_id)
            if record is None:
                return
            tracker = Tracker(job_id)
            try:
                result = work(record, tracker)
            except Refused as refused:
                db.session().rollback()
                end(job_id, "failed", error=refused.msgid, values=refused.values)
            except Exception:
                log.exception("job %s (%s) failed", job_id, record.kind)
                db.session().rollback()
                end(job_id, "failed", error=N_("An unexpected error stopped the work; nothing was changed."))
            else:
                end(job_id, "done", result=result)

        return job(retries=retries, priority=priority)(run)

    return declare


@periodic(minute="*")
def reap() -> None:
    """Running jobs whose consumer went silent (killed, machine stopped): failed, their locks freed."""
    dbs = db.session()
    running = dbs.scalars(select(JobRecord).where(JobRecord.state == "running")).all()
    limit = time.time() - STALE_SECONDS
    for record in running:
        heartbeat = read_progress(record.id).get("at", 0)
        started = record.started_at.replace(tzinfo=record.started_at.tzinfo or dt.UTC).timestamp()
        if max(heartbeat, started) < limit:
            log.warning("job %s (%s) interrupted", record.id, record.kind)
            end(
                record.id,
                "failed",
                error=INTERRUPTED,
            )
