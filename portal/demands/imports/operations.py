"""Data files uploaded through the workspace: kept between the validation report and the confirmation,
checked in a dry run, applied in one transaction, recorded in the import history and the audit log.

The file formats and their checks are those of the command line (portal/demands/imports/demands.py,
allocations.py, stock.py): the browser and `portal demands import…` refuse and accept the same files.

An upload is kept as `<instance_dir>/imports/<sha256>.csv`, named by its content's hash, never by a name
the person gave; the confirmation names that hash, and the file is hashed again before it is applied.

The work runs in the job consumer (portal/demands/imports/jobs.py), never in a web request: a
1,000,000-row demands file takes about 45 s to import on PostgreSQL, and the validation report imports it
once more in a savepoint that is rolled back.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.utils import secure_filename

from portal.demands.imports.allocations import import_allocations
from portal.demands.imports.demands import import_demands
from portal.demands.imports.events import EVENT_KINDS, import_events
from portal.demands.imports.problems import N_
from portal.demands.imports.reading import ImportRefused, Progress, no_progress
from portal.demands.imports.records import ImportRecord
from portal.demands.imports.stock import import_stock
from portal.demands.models import Demand, DemandEvent
from portal.partners import audit
from portal.partners.models import User

KINDS = ("demands", "events", "allocations", "stock")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
CHUNK = 1024 * 1024
KEEP_HOURS = 24  # an upload not confirmed within a day is deleted at the next upload


class UploadRefused(ValueError):
    """The upload is not a file we may check: `reason` is one of too_large, not_csv, not_text, empty."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class StoredFile:
    sha256: str
    path: Path
    size: int
    filename: str  # the person's file name, sanitised, for the history only


@dataclass
class Outcome:
    """What an import did, or would do (dry run), or why it was refused (kept with its job as a dict)."""

    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    replaced: int = 0
    problems: list[tuple[int, str, str]] = field(default_factory=list)
    problem_total: int = 0
    seconds: float = 0.0

    @property
    def refused(self) -> bool:
        return self.problem_total > 0

    def as_dict(self, shown: int) -> dict:
        """The outcome for the job's record: its counts and the first `shown` problems (their reasons as
        msgids with their values, translated when shown)."""
        values = {name: getattr(self, name) for name in ("kind", "rows", "created", "updated", "replaced")}
        values["problems"] = [
            [row, column, getattr(reason, "msgid", str(reason)), getattr(reason, "params", {})]
            for row, column, reason in self.problems[:shown]
        ]
        return {**values, "problem_total": self.problem_total, "seconds": round(self.seconds, 1)}


def imports_dir(instance_dir: Path) -> Path:
    folder = instance_dir / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def clean_filename(name: str | None) -> str:
    """The person's file name as the history shows it: no folders, ASCII, at most 200 characters."""
    return (secure_filename(name or "") or "file.csv")[-200:]


def store_upload(stream, name: str | None, instance_dir: Path, max_bytes: int) -> StoredFile:
    """Write an uploaded CSV under its SHA-256, checking on the way its name, size and that it is UTF-8
    text; raise UploadRefused (and keep nothing) otherwise."""
    if not (name or "").lower().endswith(".csv"):
        raise UploadRefused("not_csv")
    folder = imports_dir(instance_dir)
    _forget_old_uploads(folder)
    digest, size = hashlib.sha256(), 0
    decoder = codecs.getincrementaldecoder("utf-8")()
    partial = folder / f"upload-{time.time_ns()}.part"
    try:
        with partial.open("wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise UploadRefused("too_large")
                if b"\x00" in chunk:
                    raise UploadRefused("not_text")
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    raise UploadRefused("not_text") from exc
                digest.update(chunk)
                out.write(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            raise UploadRefused("not_text") from exc
        if size == 0:
            raise UploadRefused("empty")
        sha = digest.hexdigest()
        path = folder / f"{sha}.csv"
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return StoredFile(sha, path, size, clean_filename(name))


def _forget_old_uploads(folder: Path) -> None:
    limit = time.time() - KEEP_HOURS * 3600
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


def stored_upload(instance_dir: Path, sha: str, name: str) -> StoredFile | None:
    """The kept upload of this hash, if it is still there and unchanged; None otherwise."""
    if not SHA256.match(sha or ""):
        return None
    path = imports_dir(instance_dir) / f"{sha}.csv"
    if not path.is_file():
        return None
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    if digest.hexdigest() != sha:
        return None
    return StoredFile(sha, path, path.stat().st_size, clean_filename(name))


def forget_upload(stored: StoredFile) -> None:
    stored.path.unlink(missing_ok=True)


def count_rows(path: Path) -> int:
    """The data rows of a CSV file (its header aside), for the history of a refused file."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return max(0, sum(1 for _ in csv.reader(handle)) - 1)
    except (csv.Error, UnicodeDecodeError):
        return 0


def run(session: Session, kind: str, path: Path, today: dt.date, progress: Progress = no_progress) -> Outcome:
    """Import the file into the session's transaction (a savepoint: a refused file leaves nothing);
    `progress` is told the rows read as they are."""
    outcome = Outcome(kind)
    started = time.perf_counter()
    try:
        if kind == "demands":
            outcome.replaced = session.scalar(select(func.count()).select_from(Demand)) or 0
            report = import_demands(session, path, today, progress)
            outcome.rows = outcome.created = report.demands
        elif kind == "events":
            stored = select(func.count()).where(DemandEvent.kind.in_(EVENT_KINDS))
            outcome.replaced = session.scalar(stored.select_from(DemandEvent)) or 0
            report = import_events(session, path, today, progress)
            outcome.rows = outcome.created = report.events
        elif kind == "allocations":
            report = import_allocations(session, path, today, progress)
            outcome.rows, outcome.created, outcome.updated = report.rows, report.created, report.updated
        elif kind == "stock":
            report = import_stock(session, path, today, progress)
            outcome.rows = outcome.created = report.rows
            outcome.replaced = report.replaced
        else:
            raise ValueError(f"unknown kind of import: {kind}")
    except ImportRefused as exc:
        outcome.problems, outcome.problem_total = exc.problems, exc.total
        outcome.rows = count_rows(path)
        outcome.created = outcome.updated = outcome.replaced = 0
    except csv.Error as exc:
        unreadable = N_("the file is not readable as CSV: %(error)s", error=str(exc))
        outcome.problems, outcome.problem_total = [(0, "", unreadable)], 1
    outcome.seconds = time.perf_counter() - started
    return outcome


def check(
    session: Session, kind: str, path: Path, today: dt.date, progress: Progress = no_progress
) -> Outcome:
    """The validation report: the import is made in a savepoint, then rolled back whatever it found."""
    savepoint = session.begin_nested()
    try:
        return run(session, kind, path, today, progress)
    finally:
        savepoint.rollback()


def record(
    session: Session, user: User, organisation_id: int | None, stored: StoredFile, outcome: Outcome
) -> ImportRecord:
    """The history row of an attempt; an applied import is audited too (same transaction)."""
    entry = ImportRecord(
        user_id=user.id,
        organisation_id=organisation_id,
        kind=outcome.kind,
        filename=stored.filename,
        sha256=stored.sha256,
        size=stored.size,
        rows=outcome.rows,
        created=outcome.created,
        updated=outcome.updated,
        replaced=outcome.replaced,
        outcome="refused" if outcome.refused else "applied",
        problems=outcome.problem_total,
    )
    session.add(entry)
    if not outcome.refused:
        counts = {name: getattr(outcome, name) for name in ("rows", "created", "updated", "replaced")}
        audit.record(
            session,
            user,
            organisation_id,
            "data.imported",
            f"{outcome.kind}: {stored.filename}",
            after={"kind": outcome.kind, "sha256": stored.sha256, **counts},
        )
    return entry
