"""Data imports in the partners' workspace, on both backends: a file is checked (nothing written), then
applied on confirmation; bad files, wrong types and sizes, tampered confirmations and forged requests
change nothing; the history and the audit log say who imported what; only the EPCI's administrators and
editors may import."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io

import pyotp
import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from portal import clock
from portal.demands.imports.demands import import_demands
from portal.demands.imports.records import ImportRecord
from portal.demands.models import Allocation, Demand, DemandEvent, HousingStock
from portal.observatory.models import FiguresSnapshot
from portal.partners.models import AuditEntry
from tests.allocation_files import SAMPLES, allocation_rows, write_allocations_csv
from tests.demand_files import demand_rows, event_rows, write_csv, write_events_csv
from tests.factories.partners import PARTNER_PASSWORD, create_organisation, create_partner
from tests.pagecheck import csrf_token, parse, text_of

UPLOAD = "/partenaires/donnees/"
CONFIRM = "/partenaires/donnees/appliquer"
HISTORY = "/partenaires/donnees/historique"
TABLES = (Demand, DemandEvent, Allocation, HousingStock)


@pytest.fixture
def people(db):
    epci = create_organisation(db, "metropole", kind="epci")
    town = create_organisation(db, "ville-a")
    return {
        "editor": create_partner(db, "editeur@metropole.fr", {epci: ["editor"]}),
        "admin": create_partner(
            db, "admin@metropole.fr", {epci: ["admin"]}, totp_secret=pyotp.random_base32()
        ),
        "viewer": create_partner(db, "lecteur@metropole.fr", {epci: ["viewer"]}),
        "town_editor": create_partner(db, "editeur@ville-a.fr", {town: ["editor"]}),
        "epci": epci,
    }


@pytest.fixture
def client(db_app):
    return db_app.test_client()


@pytest.fixture
def editor(client, people, sign_in):
    """A client signed in as the EPCI's editor (no second factor for editors)."""
    sign_in(client, "editeur@metropole.fr")
    return client


def counts(db) -> dict:
    counted = {model.__tablename__: db.scalar(select(func.count()).select_from(model)) for model in TABLES}
    counted["records"] = db.scalar(select(func.count()).select_from(ImportRecord))
    return counted


def send(client, kind: str, content: bytes, name: str = "file.csv", token: str | None = None):
    token = csrf_token(client, UPLOAD) if token is None else token
    fields = {"kind": kind, "upload": FileStorage(io.BytesIO(content), name)}
    if token:
        fields["csrf_token"] = token
    # Encoded in memory: the test client would spool a large body to a temporary file it never closes.
    boundary, body = encode_multipart(fields)
    response = client.post(UPLOAD, data=body, content_type=f"multipart/form-data; boundary={boundary}")
    return follow_job(client, response)[1]


def follow_job(client, response):
    """(the job's page, the page its result links to): a request that starts work answers with the job's
    page (the work runs at once in the tests); what it leads to is linked there. Any other answer is
    returned as it is."""
    if response.status_code != 302 or "/partenaires/travaux/" not in response.headers["Location"]:
        return None, response
    page = client.get(response.headers["Location"])
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    link = parse(page).find(".//p[@id='job-result']/a")
    return page, (client.get(link.get("href")) if link is not None else page)


def job_result_link(page) -> str | None:
    link = parse(page).find(".//p[@id='job-result']/a")
    return link.get("href") if link is not None else None


def confirm_fields(response) -> dict:
    form = parse(response).find(".//form[@id='import-confirm']")
    assert form is not None, "the report offers no confirmation"
    return {field.get("name"): field.get("value") for field in form.iter("input")}


def demands_file(tmp_path, count: int = 30) -> tuple[list[dict], bytes]:
    rows = list(demand_rows(count))
    return rows, write_csv(tmp_path / "demands.csv", rows).read_bytes()


def good_file(kind: str, db, tmp_path) -> bytes:
    """A correct file of this kind (the demands it names are imported first when it needs them)."""
    if kind == "stock":
        return (SAMPLES / "stock.csv").read_bytes()
    rows, content = demands_file(tmp_path)
    if kind == "demands":
        return content
    import_demands(db, tmp_path / "demands.csv", clock.today())
    if kind == "events":
        return write_events_csv(tmp_path / "events.csv", event_rows(rows)).read_bytes()
    return write_allocations_csv(
        tmp_path / "allocations.csv", allocation_rows(rows, clock.today())
    ).read_bytes()


def bad_file(kind: str, db, tmp_path) -> bytes:
    """A file of this kind whose last row is bad."""
    if kind == "stock":
        return (SAMPLES / "stock_bad.csv").read_bytes()
    content = good_file(kind, db, tmp_path)
    lines = content.decode().splitlines()
    # An 18-character number nobody filed (the demands file: a bad date instead).
    broken = lines[-1].split(",")
    broken[2 if kind == "demands" else 0] = "demain" if kind == "demands" else "0720325999999G9999"
    return "\n".join([*lines[:-1], ",".join(broken)]).encode() + b"\n"


@pytest.mark.parametrize("kind", ["demands", "events", "allocations", "stock"])
def test_a_good_file_is_reported_then_applied_on_confirmation(editor, db, db_app, tmp_path, people, kind):
    content = good_file(kind, db, tmp_path)
    before = counts(db)
    report = send(editor, kind, content, f"Données {kind}.csv")
    assert report.status_code == 200
    fields = confirm_fields(report)
    assert fields["sha256"] == hashlib.sha256(content).hexdigest() and fields["kind"] == kind
    assert counts(db) == before, "the validation report wrote nothing"
    kept = db_app.config["PORTAL_SETTINGS"].instance_dir / "imports" / f"{fields['sha256']}.csv"
    assert kept.read_bytes() == content

    snapshots = db.scalar(select(func.count()).select_from(FiguresSnapshot))
    job_page, _history = follow_job(editor, editor.post(CONFIRM, data=fields))
    assert job_result_link(job_page) == HISTORY
    assert db.scalar(select(func.count()).select_from(FiguresSnapshot)) == snapshots + 1, "figures follow"
    after = counts(db)
    assert after != before and after["records"] == before["records"] + 1
    record = db.scalar(select(ImportRecord).order_by(ImportRecord.id.desc()))
    assert (record.kind, record.outcome, record.problems) == (kind, "applied", 0)
    assert record.sha256 == fields["sha256"] and record.size == len(content)
    assert record.user_id == people["editor"].id and record.organisation_id == people["epci"].id
    assert record.filename == f"Donnees_{kind}.csv"
    assert record.rows > 0 and record.created > 0
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "data.imported"))
    assert entry.after["sha256"] == fields["sha256"] and entry.after["rows"] == record.rows
    assert entry.user_id == people["editor"].id and entry.organisation_id == people["epci"].id
    assert not kept.exists(), "an applied file is not kept"
    history = parse(editor.get(HISTORY))
    first = history.find(".//table[@id='import-history']/tbody/tr")
    assert first.get("data-outcome") == "applied" and fields["sha256"] in text_of(first)
    if kind == "demands":
        assert after["demand"] == 30
        assert db.scalar(select(func.count()).select_from(Demand).where(Demand.score_total.is_not(None))) > 0


@pytest.mark.parametrize("kind", ["demands", "events", "allocations", "stock"])
def test_a_bad_file_is_refused_with_its_problems_and_nothing_changes(editor, db, tmp_path, kind):
    content = bad_file(kind, db, tmp_path)
    before = counts(db)
    response = send(editor, kind, content)
    assert response.status_code == 200
    page = parse(response)
    assert page.find(".//form[@id='import-confirm']") is None
    problems = page.findall(".//table[@id='import-problems']/tbody/tr")
    assert len(problems) == (6 if kind == "stock" else 1)
    after = counts(db)
    assert {name: after[name] for name in after if name != "records"} == {
        name: before[name] for name in before if name != "records"
    }
    assert after["records"] == before["records"] + 1
    record = db.scalar(select(ImportRecord).order_by(ImportRecord.id.desc()))
    assert record.outcome == "refused" and record.problems == len(problems) and record.rows > 0
    assert (
        db.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "data.imported"))
        == 0
    )
    row = parse(editor.get(HISTORY)).find(".//table[@id='import-history']/tbody/tr")
    assert row.get("data-outcome") == "refused"


def test_a_long_list_of_problems_is_cut_and_says_how_many_more(editor, db, tmp_path):
    lines = ["year,commune,dwelling_type,landlord,dwellings"] + [f"2025,99999,T1,L{i},1" for i in range(150)]
    response = send(editor, "stock", ("\n".join(lines) + "\n").encode())
    page = parse(response)
    assert len(page.findall(".//table[@id='import-problems']/tbody/tr")) == 100
    assert "50" in text_of(page.find(".//table[@id='import-problems']/caption"))


YEAR_TOO_OLD = b"year,commune,dwelling_type,landlord,dwellings,financing\n1900,72181,T1,OPH-AGGLO,5,PLUS\n"
BETWEEN = "must be between %(low)s and %(high)s"


def reason_cells(response) -> list:
    """(column cell, reason cell) of the report's only problem."""
    rows = parse(response).findall(".//table[@id='import-problems']/tbody/tr")
    assert len(rows) == 1
    return rows[0].findall("td")[1:]


def fake_catalog(monkeypatch, translations: dict[str, str]) -> None:
    """The workspace's gettext, with these msgids translated (the catalogs are the lead's: not updated)."""
    from portal.backoffice.imports import controllers as views

    real = views._
    monkeypatch.setattr(
        views,
        "_",
        lambda msgid, **values: translations[msgid] if msgid in translations else real(msgid, **values),
    )


def test_a_reason_is_shown_in_english_with_its_values_in_an_english_workspace(editor, db):
    assert editor.get(UPLOAD + "?lang=en").status_code == 302
    response = send(editor, "stock", YEAR_TOO_OLD)
    assert '<html lang="en"' in response.get_data(as_text=True)
    column, reason = reason_cells(response)
    assert text_of(column) == "year" and column.find("code") is not None, "column names stay code"
    assert text_of(reason) == f"must be between 1950 and {clock.today().year}"
    assert reason.get("lang") is None


def test_a_reason_is_translated_from_its_msgid_then_its_values_filled(editor, db, monkeypatch):
    fake_catalog(monkeypatch, {BETWEEN: "doit être entre %(low)s et %(high)s"})
    response = send(editor, "stock", YEAR_TOO_OLD)
    assert '<html lang="fr"' in response.get_data(as_text=True)
    column, reason = reason_cells(response)
    assert text_of(column) == "year"
    assert text_of(reason) == f"doit être entre 1950 et {clock.today().year}"
    assert reason.get("lang") is None, "a translated reason is in the page's language"


def test_a_reason_not_translated_yet_is_marked_english_on_a_french_page(editor, db, monkeypatch):
    fake_catalog(monkeypatch, {BETWEEN: BETWEEN})  # what gettext gives for a msgid its catalog lacks
    _, reason = reason_cells(send(editor, "stock", YEAR_TOO_OLD))
    assert text_of(reason) == f"must be between 1950 and {clock.today().year}"
    assert reason.get("lang") == "en"


def test_a_file_python_cannot_read_as_csv_is_reported_through_a_msgid(editor, db, monkeypatch):
    fake_catalog(monkeypatch, {"the file is not readable as CSV: %(error)s": "illisible : %(error)s"})
    content = b"year,commune,dwelling_type,landlord,dwellings\n2025," + b"x" * 200_000 + b",T1,X,1\n"
    _, reason = reason_cells(send(editor, "stock", content))
    assert text_of(reason).startswith("illisible : field larger than field limit")


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"year,commune\n2025,72181\n", "stock.xlsx"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image.csv"),
        ("year,commune\n2025,Sargé\n".encode("latin-1"), "latin1.csv"),
        (b"", "empty.csv"),
    ],
)
def test_a_file_that_is_not_utf8_csv_is_refused_before_any_check(editor, db, db_app, content, name):
    before = counts(db)
    response = send(editor, "stock", content, name)
    assert response.status_code == 400
    page = parse(response)
    assert page.find(".//*[@id='upload-error']") is not None
    assert page.find(".//*[@id='error-summary']") is not None
    assert counts(db) == before
    folder = db_app.config["PORTAL_SETTINGS"].instance_dir / "imports"
    assert not folder.exists() or list(folder.iterdir()) == []


@pytest.mark.parametrize("megabytes", [1.5, 3])
def test_a_file_over_the_size_limit_is_refused(editor, db, db_app, megabytes):
    """1.5 MB passes the request limit (the setting + 1 MB for the form) and is refused while stored;
    3 MB is refused by the request limit itself, before the body is read."""
    settings = db_app.config["PORTAL_SETTINGS"]
    db_app.config["PORTAL_SETTINGS"] = dataclasses.replace(settings, import_max_mb=1)
    before = counts(db)
    line = b"2025,72181,T1,OPH-AGGLO,1,PLUS\n"
    content = b"year,commune,dwelling_type,landlord,dwellings,financing\n" + line * int(
        megabytes * 1024 * 1024 / len(line)
    )
    response = send(editor, "stock", content, "stock.csv")
    assert response.status_code == 413
    error = parse(response).find(".//*[@id='upload-error']")
    assert error is not None and "1" in text_of(error)
    assert counts(db) == before


def test_the_app_limit_does_not_apply_to_data_files(editor, db):
    """The app refuses bodies over 16 MB; the upload raises its own limit (PORTAL_IMPORT_MAX_MB)."""
    line = b"2025,99999,T1,OPH-AGGLO,1,PLUS\n"
    content = b"year,commune,dwelling_type,landlord,dwellings,financing\n" + line * (
        17 * 1024 * 1024 // len(line)
    )
    response = send(editor, "stock", content, "stock.csv")
    assert response.status_code == 200 and parse(response).find(".//table[@id='import-problems']") is not None


@pytest.mark.parametrize(
    "tamper",
    [
        lambda fields, path: fields.update(sha256="0" * 64),
        lambda fields, path: fields.update(sha256="../../secret_key"),
        lambda fields, path: fields.update(kind="passwords"),
        lambda fields, path: path.write_bytes(path.read_bytes() + b"2024,72181,T1,X,1,\n"),
        lambda fields, path: path.unlink(),
    ],
    ids=["other hash", "path", "kind", "file changed", "file gone"],
)
def test_a_tampered_confirmation_is_refused_and_changes_nothing(editor, db, db_app, tamper):
    report = send(editor, "stock", (SAMPLES / "stock.csv").read_bytes(), "stock.csv")
    fields = confirm_fields(report)
    path = db_app.config["PORTAL_SETTINGS"].instance_dir / "imports" / f"{fields['sha256']}.csv"
    before = counts(db)
    tamper(fields, path)
    job_page, response = follow_job(editor, editor.post(CONFIRM, data=fields))
    if job_page is None:  # refused at once: the file named is not there
        assert response.status_code == 400
        assert parse(response).find(".//*[@id='upload-error']") is not None
    else:  # there, but not the file that was checked: the job stops, saying so
        assert job_result_link(job_page) is None
        assert "plus là" in text_of(parse(job_page).find(".//main"))
    assert counts(db) == before


def test_forged_requests_without_a_csrf_token_change_nothing(editor, db):
    before = counts(db)
    assert send(editor, "stock", (SAMPLES / "stock.csv").read_bytes(), token="").status_code == 400
    fields = confirm_fields(send(editor, "stock", (SAMPLES / "stock.csv").read_bytes()))
    del fields["csrf_token"]
    assert editor.post(CONFIRM, data=fields).status_code == 400
    assert counts(db) == before


def test_the_epci_admin_imports_after_the_second_factor(client, people, db, enter_code):
    token = csrf_token(client, "/partenaires/connexion")
    password = {"csrf_token": token, "email": "admin@metropole.fr", "password": PARTNER_PASSWORD}
    assert client.post("/partenaires/connexion", data=password).status_code == 302
    assert client.get(UPLOAD).status_code == 302
    enter_code(client, pyotp.TOTP(people["admin"].totp_secret).now())
    dashboard = parse(client.get("/partenaires/"))
    assert dashboard.find(f".//a[@href='{UPLOAD}']") is not None
    report = send(client, "stock", (SAMPLES / "stock.csv").read_bytes())
    job_page, _history = follow_job(client, client.post(CONFIRM, data=confirm_fields(report)))
    assert job_result_link(job_page) == HISTORY
    assert db.scalar(select(ImportRecord.user_id).order_by(ImportRecord.id.desc())) == people["admin"].id


@pytest.mark.parametrize("email", ["editeur@ville-a.fr", "lecteur@metropole.fr"])
def test_partners_outside_the_epci_admins_and_editors_get_403(client, people, db, email, sign_in):
    sign_in(client, email)
    assert parse(client.get("/partenaires/")).find(f".//a[@href='{UPLOAD}']") is None
    token = csrf_token(client, "/partenaires/")
    assert client.get(UPLOAD).status_code == 403
    assert client.get(HISTORY).status_code == 403
    before = counts(db)
    data = {"csrf_token": token, "kind": "stock", "upload": (io.BytesIO(b"year\n"), "s.csv")}
    assert client.post(UPLOAD, data=data, content_type="multipart/form-data").status_code == 403
    fields = {"csrf_token": token, "sha256": "0" * 64, "kind": "stock", "filename": "s.csv"}
    assert client.post(CONFIRM, data=fields).status_code == 403
    assert counts(db) == before


@pytest.mark.parametrize("email", [None, "lecteur@metropole.fr"])
def test_the_upload_limit_is_raised_only_after_the_sign_in_and_role(client, people, db, email, sign_in):
    """A visitor (or a partner without the role) cannot make the server read a body larger than the
    app's own limit: it is cut before the CSRF check reads it."""
    if email:
        sign_in(client, email)
    body = b"x" * (client.application.config["MAX_CONTENT_LENGTH"] + 1024)
    assert send(client, "stock", body, "s.csv", token="x").status_code == 413


def test_a_signed_out_visitor_is_sent_to_sign_in(client, people):
    for path in (UPLOAD, HISTORY):
        response = client.get(path)
        assert response.status_code == 302 and "/partenaires/connexion" in response.headers["Location"]


def test_the_history_lists_attempts_newest_first_with_their_counts(editor, db, tmp_path):
    send(editor, "stock", (SAMPLES / "stock_bad.csv").read_bytes(), "mauvais.csv")
    fields = confirm_fields(send(editor, "stock", (SAMPLES / "stock.csv").read_bytes(), "bon.csv"))
    editor.post(CONFIRM, data=fields)
    rows = parse(editor.get(HISTORY)).findall(".//table[@id='import-history']/tbody/tr")
    assert [row.get("data-outcome") for row in rows[:2]] == ["applied", "refused"]
    cells = [text_of(cell) for cell in rows[0].findall("td")]
    assert cells[1] == "editeur@metropole.fr" and cells[2] == "Organisation metropole"
    assert cells[4] == "bon.csv" and cells[5] == fields["sha256"] and cells[6] == "10"
    assert "mauvais.csv" in text_of(rows[1]) and "6" in text_of(rows[1].findall("td")[-1])
    when = db.scalar(select(ImportRecord.at).order_by(ImportRecord.id.desc()))
    assert abs((when.replace(tzinfo=when.tzinfo or dt.UTC) - dt.datetime.now(dt.UTC)).total_seconds()) < 120
