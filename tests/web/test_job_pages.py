"""Long work as jobs people follow, on both backends, with the queue holding the work until the test runs
it (as a consumer would): the request answers at once with the job's page; the page and its JSON state
say queued, running with the progress, done with the result, failed with the reason; one data job at a
time for the territory; a job delivered twice runs once; a job whose consumer died is reaped; only the
people of the job's organisations (and the EPCI's administrators) see it."""

from __future__ import annotations

import datetime as dt
import io

import pyotp
import pytest
from sqlalchemy import func, select, update
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from portal import clock
from portal.cotation import operations
from portal.demands.imports import jobs as import_jobs
from portal.demands.imports.records import ImportRecord
from portal.demands.models import Demand
from portal.jobs import records
from portal.jobs.models import JobLock, JobRecord
from tests.demand_files import demand_rows, write_csv
from tests.factories.partners import create_organisation, create_partner
from tests.pagecheck import csrf_token, parse, text_of
from tests.support import build_app, run_queued

UPLOAD = "/partenaires/donnees/"
CONFIRM = "/partenaires/donnees/appliquer"


@pytest.fixture
def queued_app(tmp_path, db):
    """The portal on the test's transaction, its jobs left on a SQLite queue until `run_queued`."""
    app = build_app(tmp_path, db.connection(), jobs_immediate=False)
    yield app
    app.extensions["portal.jobs"].huey.storage.close()


@pytest.fixture
def people(db):
    epci = create_organisation(db, "metropole", kind="epci")
    town = create_organisation(db, "ville-a")
    return {
        "editor": create_partner(db, "editeur@metropole.fr", {epci: ["editor"]}),
        "other_editor": create_partner(db, "editeur@metropole-bis.fr", {epci: ["editor"]}),
        "town_editor": create_partner(db, "editeur@ville-a.fr", {town: ["editor"]}),
        "epci_admin": create_partner(
            db, "admin@metropole.fr", {epci: ["admin"]}, totp_secret=pyotp.random_base32()
        ),
        "reviewer": create_partner(
            db, "relecteur@metropole.fr", {epci: ["reviewer"]}, totp_secret=pyotp.random_base32()
        ),
    }


@pytest.fixture
def editor(queued_app, people, sign_in):
    client = queued_app.test_client()
    sign_in(client, people["editor"])
    return client


def upload(client, content: bytes, kind: str = "demands"):
    fields = {
        "csrf_token": csrf_token(client, UPLOAD),
        "kind": kind,
        "upload": FileStorage(io.BytesIO(content), "f.csv"),
    }
    boundary, body = encode_multipart(fields)
    return client.post(UPLOAD, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def job_id_of(response) -> int:
    assert response.status_code == 302, response.status_code
    location = response.headers["Location"]
    assert location.startswith("/partenaires/travaux/"), location
    return int(location.rsplit("/", 1)[1])


def state(client, job_id: int) -> dict:
    response = client.get(f"/partenaires/travaux/{job_id}.json")
    assert response.status_code == 200
    return response.get_json()


def demands_csv(tmp_path, count: int = 12) -> bytes:
    return write_csv(tmp_path / "demands.csv", list(demand_rows(count))).read_bytes()


def test_an_upload_answers_with_the_job_page_and_the_page_follows_the_work(editor, queued_app, db, tmp_path):
    before = db.scalar(select(func.count()).select_from(Demand))
    job_id = job_id_of(upload(editor, demands_csv(tmp_path)))
    page = editor.get(f"/partenaires/travaux/{job_id}")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    tree = parse(page)
    assert tree.find(".//div[@id='job']").get("data-state") == "queued"
    assert tree.find(".//progress[@id='job-progress']") is not None
    assert tree.find(".//noscript/meta[@http-equiv='refresh']") is not None, "refreshes without JavaScript"
    assert tree.find(".//div[@id='job-outcome']").get("aria-live") == "polite"
    assert state(editor, job_id)["state"] == "queued"

    with queued_app.app_context():  # what a running consumer reports
        records.write_progress(job_id, 250, 1000, "Checking the file")
    db.execute(update(JobRecord).where(JobRecord.id == job_id).values(state="running"))
    running = state(editor, job_id)
    assert (running["state"], running["done"], running["total"], running["percent"]) == (
        "running",
        250,
        1000,
        25,
    )
    assert running["step"] == "Vérification du fichier"
    page = parse(editor.get(f"/partenaires/travaux/{job_id}"))
    assert page.find(".//progress[@id='job-progress']").get("value") == "25"
    assert "250 sur 1" in text_of(page.find(".//span[@id='job-count']"))
    assert running["count"].startswith("250 sur 1"), "the count is written by the server, in its language"
    db.execute(update(JobRecord).where(JobRecord.id == job_id).values(state="queued"))

    assert run_queued(queued_app) == 1
    done = state(editor, job_id)
    assert done["state"] == "done" and done["percent"] == 100
    assert done["result_url"] == f"/partenaires/donnees/rapport/{job_id}"
    page = parse(editor.get(f"/partenaires/travaux/{job_id}"))
    assert page.find(".//p[@id='job-result']/a").get("href") == done["result_url"]
    assert page.find(".//noscript/meta[@http-equiv='refresh']") is None, "a finished job stops refreshing"
    assert db.scalar(select(func.count()).select_from(Demand)) == before, "a check writes nothing"


def test_a_refused_job_shows_its_reason_translated_and_changes_nothing(editor, queued_app, db, tmp_path):
    checked = job_id_of(upload(editor, demands_csv(tmp_path)))
    run_queued(queued_app)
    report = editor.get(state(editor, checked)["result_url"])
    form = parse(report).find(".//form[@id='import-confirm']")
    fields = {field.get("name"): field.get("value") for field in form.iter("input")}
    before = db.scalar(select(func.count()).select_from(ImportRecord))
    applying = job_id_of(editor.post(CONFIRM, data=fields))
    stored = import_jobs.operations.imports_dir(queued_app.config["PORTAL_SETTINGS"].instance_dir)
    (stored / f"{fields['sha256']}.csv").write_bytes(b"changed after the check\n")
    run_queued(queued_app)
    failed = state(editor, applying)
    assert failed["state"] == "failed" and "plus là" in failed["reason"]
    page = parse(editor.get(f"/partenaires/travaux/{applying}"))
    assert "plus là" in text_of(page.find(".//div[@id='job-outcome']"))
    assert db.scalar(select(func.count()).select_from(ImportRecord)) == before
    assert db.get(JobLock, import_jobs.DATA_LOCK) is None, "a failed job frees the lock"


def test_one_data_job_at_a_time_for_the_territory(editor, queued_app, db, tmp_path, people, sign_in):
    first = job_id_of(upload(editor, demands_csv(tmp_path)))
    refused = upload(editor, demands_csv(tmp_path, 3))
    assert refused.status_code == 409
    link = parse(refused).find(f".//a[@href='/partenaires/travaux/{first}']")
    assert link is not None, "the refusal links to the work under way"
    assert db.scalar(select(func.count()).select_from(JobRecord)) == 1

    draft = operations.create_draft(db, people["reviewer"], None, "general", clock.today())
    reviewer = queued_app.test_client()
    sign_in(reviewer, people["reviewer"])
    page = f"/partenaires/grilles/general/v{draft.version}"
    fields = {
        "csrf_token": csrf_token(reviewer, page),
        "lock": operations.fingerprint(draft),
        "effective_from": clock.today().isoformat(),
    }
    assert reviewer.post(f"{page}/activer", data=fields).status_code == 409, "no activation meanwhile"
    assert db.scalar(select(func.count()).select_from(JobRecord)) == 1
    run_queued(queued_app)
    assert state(editor, first)["state"] == "done"
    assert job_id_of(upload(editor, demands_csv(tmp_path, 3))) != first, "the lock is free again"


def test_a_job_delivered_twice_applies_the_file_once(editor, queued_app, db, tmp_path):
    checked = job_id_of(upload(editor, demands_csv(tmp_path)))
    run_queued(queued_app)
    form = parse(editor.get(state(editor, checked)["result_url"])).find(".//form[@id='import-confirm']")
    fields = {field.get("name"): field.get("value") for field in form.iter("input")}
    huey = queued_app.extensions["portal.jobs"].huey
    applying = job_id_of(editor.post(CONFIRM, data=fields))
    task = huey.dequeue()
    before = db.scalar(select(func.count()).select_from(ImportRecord))
    huey.execute(task)
    demands = db.scalar(select(func.count()).select_from(Demand))
    huey.execute(task)  # the queue delivers it again (a consumer restarted before acknowledging)
    assert db.scalar(select(func.count()).select_from(ImportRecord)) == before + 1
    assert db.scalar(select(func.count()).select_from(Demand)) == demands
    assert state(editor, applying)["state"] == "done"


def test_a_job_whose_consumer_died_is_reaped_and_frees_the_lock(
    editor, queued_app, db, tmp_path, monkeypatch
):
    job_id = job_id_of(upload(editor, demands_csv(tmp_path)))
    queued_app.extensions["portal.jobs"].huey.flush()  # the consumer took it, then died
    started = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=records.STALE_SECONDS + 60)
    db.execute(update(JobRecord).where(JobRecord.id == job_id).values(state="running", started_at=started))
    with queued_app.app_context():
        records.write_progress(job_id, 10, 100, "Checking the file")
        records.reap()
    assert state(editor, job_id)["state"] == "running", "its heartbeat is recent: still alive"
    with queued_app.app_context():
        records.write_progress(job_id, 10, 100, "Checking the file")
        monkeypatch.setattr(records, "STALE_SECONDS", -60)  # as if that heartbeat were old
        records.reap()
    failed = state(editor, job_id)
    assert failed["state"] == "failed" and "interrompu" in failed["reason"]
    assert db.get(JobLock, import_jobs.DATA_LOCK) is None
    assert job_id_of(upload(editor, demands_csv(tmp_path, 3))) != job_id


def test_only_the_jobs_organisations_and_the_epci_admins_see_a_job(
    editor, queued_app, people, tmp_path, sign_in
):
    job_id = job_id_of(upload(editor, demands_csv(tmp_path)))
    town = queued_app.test_client()
    sign_in(town, people["town_editor"])
    assert town.get(f"/partenaires/travaux/{job_id}").status_code == 403
    assert town.get(f"/partenaires/travaux/{job_id}.json").status_code == 403
    assert f"/partenaires/travaux/{job_id}" not in town.get("/partenaires/travaux/").get_data(as_text=True)
    assert town.get("/partenaires/travaux/999999").status_code == 404
    for who in ("other_editor", "epci_admin"):
        client = queued_app.test_client()
        sign_in(client, people[who])
        assert client.get(f"/partenaires/travaux/{job_id}").status_code == 200
        listed = parse(client.get("/partenaires/travaux/"))
        assert listed.find(f".//a[@href='/partenaires/travaux/{job_id}']") is not None
    assert queued_app.test_client().get(f"/partenaires/travaux/{job_id}.json").status_code == 302


def test_the_request_that_starts_a_million_row_import_reads_no_row_and_queues_the_check(
    tmp_path, db, people, sign_in, monkeypatch
):
    """The request stores the file and queues its check; no row is read before it answers. (How fast it
    answers is measured by bench/jobs.py, not by a timed test: 0.7 s for these 184 MB on the machine the
    suite was written on.)"""
    app = build_app(tmp_path, db.connection(), jobs_immediate=False, import_max_mb=1024)
    client = app.test_client()
    sign_in(client, people["editor"])
    header, row = demands_csv(tmp_path, 1).decode().splitlines()
    content = (header + "\n" + (row + "\n") * 1_000_000).encode()
    fields = {
        "csrf_token": csrf_token(client, UPLOAD),
        "kind": "demands",
        "upload": FileStorage(io.BytesIO(content), "f.csv"),
    }
    boundary, body = encode_multipart(fields)
    del content
    monkeypatch.setattr(import_jobs, "count_rows", lambda path: pytest.fail("a row read in the request"))
    response = client.post(UPLOAD, data=body, content_type=f"multipart/form-data; boundary={boundary}")
    job_id = job_id_of(response)
    assert state(client, job_id)["state"] == "queued"
    stored = import_jobs.operations.imports_dir(app.config["PORTAL_SETTINGS"].instance_dir)
    assert [path.stat().st_size for path in stored.glob("*.csv")] == [
        len(header) + 1 + (len(row) + 1) * 1_000_000
    ]
    app.extensions["portal.jobs"].huey.storage.close()
