"""Data files checked and applied by the job consumer, with their progress: the web request only stores
the upload and records the job. One data job at a time for the territory (a lock, shared with grid
activations): two imports cannot interleave, and an activation does not rescore while demands change.

Applying is one transaction with its history row and audit entry: a consumer killed in the middle leaves
the database as it was, and the job is reaped as failed. Scoring the new demands and the public figures
come after, in steps that can be run again (the nightly tasks do).
"""

from __future__ import annotations

from flask import current_app

from portal import clock, db, events
from portal.demands.chances import rebuild_outcomes
from portal.demands.imports import operations
from portal.demands.imports.reading import count_rows
from portal.demands.scoring import demand_count, rescore_all
from portal.jobs.models import JobRecord
from portal.jobs.records import N_, Refused, Tracker, tracked
from portal.partners.models import User

DATA_LOCK = "territory-data"  # imports and grid activations, one at a time
SHOWN_PROBLEMS = 100  # problems kept with the job (all are counted)


def _stored(record: JobRecord) -> operations.StoredFile:
    instance_dir = current_app.config["PORTAL_SETTINGS"].instance_dir
    stored = operations.stored_upload(instance_dir, record.params["sha256"], record.params["filename"])
    if stored is None:
        raise Refused(N_("The file is no longer here, or has changed: upload it again."))
    return stored


def _result(stored: operations.StoredFile, outcome: operations.Outcome, endpoint: str) -> dict:
    return {
        "file": {"sha256": stored.sha256, "filename": stored.filename, "size": stored.size},
        "outcome": outcome.as_dict(SHOWN_PROBLEMS),
        "endpoint": endpoint,
    }


@tracked()
def check_file(record: JobRecord, tracker: Tracker) -> dict:
    """The validation report: the file imported in a savepoint, rolled back whatever it found. A refused
    file goes to the history (and is deleted); a correct one waits for the person's confirmation."""
    stored = _stored(record)
    tracker.step(N_("Checking the file"), total=count_rows(stored.path))
    dbs = db.session()
    outcome = operations.check(dbs, record.params["kind"], stored.path, clock.today(), tracker.advance)
    if outcome.refused:
        operations.record(dbs, dbs.get(User, record.user_id), record.organisation_id, stored, outcome)
        dbs.commit()
        operations.forget_upload(stored)
    else:
        dbs.rollback()
    return _result(stored, outcome, "imports.report")


@tracked()
def apply_file(record: JobRecord, tracker: Tracker) -> dict:
    """Apply a checked file (the same checks again) in one transaction with its history and audit entry,
    then score the demands again (after a demands or events file) and announce the new data (the observatory
    computes its public figures in this job)."""
    stored = _stored(record)
    kind = record.params["kind"]
    tracker.step(N_("Importing the file"), total=count_rows(stored.path))
    dbs = db.session()
    today = clock.today()
    outcome = operations.run(dbs, kind, stored.path, today, tracker.advance)
    operations.record(dbs, dbs.get(User, record.user_id), record.organisation_id, stored, outcome)
    dbs.commit()
    operations.forget_upload(stored)
    if outcome.refused:
        return _result(stored, outcome, "imports.report")
    if kind in ("demands", "events"):  # a grid may count refusals, read from the events
        rescore(tracker)
        tracker.step(N_("Counting what past demands became"))
        rebuild_outcomes(dbs, today)
        dbs.commit()
    app = current_app._get_current_object()
    events.territory_data_changed.send(app, session=dbs, day=today, progress=tracker)
    return _result(stored, outcome, "imports.history")


def rescore(tracker: Tracker) -> tuple[int, int]:
    """Every active demand scored again, its progress told."""
    tracker.step(N_("Scoring the demands"), total=demand_count())
    return rescore_all(progress=tracker.advance)
