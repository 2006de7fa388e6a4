"""The network's common space on both backends: uploads (types, sizes, hostile names), downloads and their
headers, visibility on the public site, permissions (403 and nothing changed), the audit, CSRF, news
Markdown through the sanitiser, meetings in Paris time, tag filters."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from portal import markdown
from portal.library import operations as library_operations
from portal.library.files import content_disposition, display_name
from portal.library.models import NetworkMeeting, NewsItem, SharedDocument
from portal.partners.models import AuditEntry
from tests.factories.partners import create_organisation, create_partner
from tests.pagecheck import csrf_token, parse, text_of
from tests.support import build_app

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
MB = 1024 * 1024


def zip_file(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            method = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=method)
    return out.getvalue()


ODT = zip_file({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})
DOCX = zip_file({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200)


@pytest.fixture
def people(db):
    town = create_organisation(db, "ville-a")
    other = create_organisation(db, "ville-b")
    epci = create_organisation(db, "metropole", kind="epci")
    return {
        "town": town,
        "other": other,
        "editor": create_partner(db, "editeur@ville-a.fr", {town: ["editor"]}),
        "other_editor": create_partner(db, "editeur@ville-b.fr", {other: ["editor"]}),
        "epci_editor": create_partner(db, "editeur@metropole.fr", {epci: ["editor"]}),
        "viewer": create_partner(db, "lecteur@ville-a.fr", {town: ["viewer"]}),
    }


@pytest.fixture
def client(db_app):
    return db_app.test_client()


def folder_of(app):
    return app.config["PORTAL_SETTINGS"].instance_dir / "documents"


def stored_files(app) -> list:
    folder = folder_of(app)
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def upload(client, name: str, data: bytes, slug: str = "ville-a", **fields):
    url = f"/partenaires/documents/organisations/{slug}/nouveau"
    values = {
        "csrf_token": csrf_token(client, url),
        "title": "Compte rendu du comité",
        "description": "",
        "tags": "",
        "visibility": "partners",
        "file": (io.BytesIO(data), name),
    }
    values.update(fields)
    return post_multipart(client, url, values)


def post_multipart(client, url: str, values: dict):
    """A multipart POST encoded in memory (the test client would spool a large body to a temporary file
    that it never closes)."""
    values = {
        key: FileStorage(value[0], filename=value[1]) if isinstance(value, tuple) else value
        for key, value in values.items()
    }
    boundary, body = encode_multipart(values)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


def actions(db) -> list[str]:
    return list(db.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def only_document(db) -> SharedDocument:
    return db.scalars(select(SharedDocument)).one()


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("compte-rendu.pdf", PDF, "application/pdf"),
        ("note.odt", ODT, "application/vnd.oasis.opendocument.text"),
        ("tableau.docx", DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("liste.csv", "commune;nombre\nSargé-lès-le-Mans;12\n".encode(), "text/csv; charset=utf-8"),
    ],
)
def test_an_editor_shares_a_document_kept_outside_static_and_audited(
    client, people, db, db_app, name, data, content_type, sign_in
):
    sign_in(client, "editeur@ville-a.fr")
    response = upload(client, name, data, tags="Cotation, comité de pilotage, cotation")
    assert response.status_code == 302
    document = only_document(db)
    assert (document.file_name, document.content_type, document.size) == (name, content_type, len(data))
    assert document.tag_names == ["comité de pilotage", "cotation"]
    assert document.uploaded_by_id == people["editor"].id
    assert stored_files(db_app) == [document.stored_name]
    assert (folder_of(db_app) / document.stored_name).read_bytes() == data
    assert "static" not in str(folder_of(db_app))
    assert actions(db)[-1] == "document.uploaded"
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "document.uploaded")).one()
    assert entry.organisation_id == people["town"].id and entry.after["sha256"] == document.sha256
    listed = parse(client.get("/partenaires/documents/")).find(".//table[@id='documents']/tbody")
    assert "Compte rendu du comité" in text_of(listed)
    download = client.get(f"/partenaires/documents/{document.id}/fichier", buffered=True)
    assert download.status_code == 200 and download.data == data
    assert download.headers["Content-Type"] == content_type
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "no-store" in download.headers["Cache-Control"]


@pytest.mark.parametrize(
    "name, data",
    [
        ("rapport.pdf", EXECUTABLE),  # an executable renamed
        ("notes.txt", EXECUTABLE),
        ("faux.odt", zip_file({"mimetype": b"application/x-other", "a.xml": b"x"})),
        ("faux.docx", zip_file({"payload.bin": b"x"})),
        ("vide.pdf", b""),
        ("programme.exe", EXECUTABLE),
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("sans-extension", PDF),
    ],
)
def test_files_of_the_wrong_kind_are_refused_and_nothing_is_kept(
    client, people, db, db_app, name, data, sign_in
):
    sign_in(client, "editeur@ville-a.fr")
    response = upload(client, name, data)
    assert response.status_code == 400
    page = parse(response)
    assert page.find(".//input[@id='file'][@aria-invalid='true']") is not None
    assert page.find(".//*[@id='error-summary']") is not None
    assert page.find(".//input[@id='title']").get("value") == "Compte rendu du comité", "what was typed stays"
    assert count(db, SharedDocument) == 0 and stored_files(db_app) == []
    assert "document.uploaded" not in actions(db)


def test_a_missing_file_is_explained(client, people, db, sign_in):
    sign_in(client, "editeur@ville-a.fr")
    url = "/partenaires/documents/organisations/ville-a/nouveau"
    response = client.post(
        url,
        data={"csrf_token": csrf_token(client, url), "title": "Sans fichier", "visibility": "partners"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert parse(response).find(".//input[@id='file'][@aria-invalid='true']") is not None
    assert count(db, SharedDocument) == 0


@pytest.fixture
def small_app(tmp_path, db):
    """The portal with a 1 MB limit per document and a request cap of 2 MB."""
    app = build_app(tmp_path, db.connection(), document_max_mb=1)
    app.config["MAX_CONTENT_LENGTH"] = 2 * MB
    return app


def test_a_file_over_the_limit_is_refused_with_the_limit_said(small_app, people, db, sign_in):
    client = small_app.test_client()
    sign_in(client, "editeur@ville-a.fr")
    response = upload(client, "gros.pdf", PDF + bytes(MB))
    assert response.status_code == 400
    error = parse(response).find(".//p[@id='file-error']")
    assert "1" in text_of(error) and ("MB" in text_of(error) or "Mo" in text_of(error))
    assert count(db, SharedDocument) == 0 and stored_files(small_app) == []


def test_a_request_over_the_cap_gets_the_form_back_not_a_bare_error(small_app, people, db, sign_in):
    client = small_app.test_client()
    sign_in(client, "editeur@ville-a.fr")
    response = upload(client, "enorme.pdf", PDF + bytes(3 * MB))
    assert response.status_code == 413
    page = parse(response)
    assert page.find(".//form[@enctype='multipart/form-data']") is not None
    assert page.find(".//input[@id='file'][@aria-invalid='true']") is not None
    assert count(db, SharedDocument) == 0 and stored_files(small_app) == []


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\x.pdf", None),  # how the backslashes arrive depends on the form parser
        ("bad\x00name.pdf", "badname.pdf"),
        ("two%0D%0Alines.pdf", "two%0D%0Alines.pdf"),  # line ends as a browser sends them: just text
        ("facture\u202efdp.exe.pdf", "facturefdp.exe.pdf"),  # a right-to-left override hides the kind
        ("compte rendu été.pdf", "compte rendu été.pdf"),
        ("../.pdf", "document.pdf"),
    ],
)
def test_hostile_file_names_are_stored_safely_and_offered_safely(
    client, people, db, db_app, tmp_path, name, shown, sign_in
):
    sign_in(client, "editeur@ville-a.fr")
    assert upload(client, name, PDF).status_code == 302
    document = only_document(db)
    assert document.file_name == shown if shown else document.file_name.endswith("x.pdf")
    assert not set(document.file_name) & {"/", "\\", "\x00", "\r", "\n"}
    assert stored_files(db_app) == [document.stored_name] and len(document.stored_name) == 32
    assert not list(tmp_path.rglob("passwd*")) and not list(tmp_path.rglob("x.pdf"))
    download = client.get(f"/partenaires/documents/{document.id}/fichier", buffered=True)
    assert download.data == PDF
    disposition = download.headers["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition and "\x00" not in disposition
    plain = disposition.split('filename="', 1)[1].split('"', 1)[0]
    assert all(char.isalnum() or char in "._-" for char in plain) and plain.endswith(".pdf")
    assert "filename*=UTF-8''" in disposition
    assert "/" not in disposition.split("filename*=UTF-8''", 1)[1]


@pytest.mark.parametrize(
    ("raw", "shown", "header"),
    [
        (
            'devis "final"; filename=evil.sh.pdf',
            'devis "final"; filename=evil.sh.pdf',
            'attachment; filename="devis_final_filename_evil.sh.pdf"; '
            "filename*=UTF-8''devis%20%22final%22%3B%20filename%3Devil.sh.pdf",
        ),
        (
            "two\r\nX-Injected: yes\r\n.pdf",
            "twoX-Injected: yes.pdf",
            "attachment; filename=\"twoX-Injected_yes.pdf\"; filename*=UTF-8''twoX-Injected%3A%20yes.pdf",
        ),
        (
            "two\r\nContent-Type: text/html\r\n.pdf",  # a slash ends a path part: only the last part stays
            "html.pdf",
            "attachment; filename=\"html.pdf\"; filename*=UTF-8''html.pdf",
        ),
        (
            "Compte rendu – été.pdf",
            "Compte rendu – été.pdf",
            'attachment; filename="Compte_rendu_ete.pdf"; '
            "filename*=UTF-8''Compte%20rendu%20%E2%80%93%20%C3%A9t%C3%A9.pdf",
        ),
    ],
)
def test_names_are_cleaned_for_display_and_for_content_disposition(raw, shown, header):
    assert display_name(raw) == shown
    assert content_disposition(display_name(raw)) == header


def test_a_post_without_its_csrf_token_changes_nothing(client, people, db, db_app, sign_in):
    sign_in(client, "editeur@ville-a.fr")
    response = client.post(
        "/partenaires/documents/organisations/ville-a/nouveau",
        data={"title": "Sans jeton", "visibility": "public", "file": (io.BytesIO(PDF), "a.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert count(db, SharedDocument) == 0 and stored_files(db_app) == []
    response = client.post(
        "/partenaires/documents/organisations/ville-a/actualites/nouveau",
        data={"title": "Sans jeton", "body": "x", "visibility": "public"},
    )
    assert response.status_code == 400 and count(db, NewsItem) == 0


def test_public_documents_are_on_the_public_site_and_partners_ones_are_not(client, people, db, sign_in):
    sign_in(client, "editeur@ville-a.fr")
    upload(client, "public.pdf", PDF, title="Plan partenarial", visibility="public")
    upload(client, "interne.pdf", PDF + b"%interne", title="Note interne", visibility="partners")
    public, internal = (
        db.scalars(select(SharedDocument).where(SharedDocument.title == title)).one()
        for title in ("Plan partenarial", "Note interne")
    )
    client.post("/partenaires/deconnexion", data={"csrf_token": csrf_token(client, "/partenaires/")})
    page = parse(client.get("/fr/reseau/"))
    listed = text_of(page.find(".//ul[@id='documents']"))
    assert "Plan partenarial" in listed and "PDF" in listed and "ko" in listed
    assert "Note interne" not in text_of(page.find(".//main"))
    response = client.get(f"/fr/reseau/documents/{public.id}", buffered=True)
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="public.pdf"')
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"/fr/reseau/documents/{internal.id}").status_code == 404
    assert client.get("/fr/reseau/documents/999999").status_code == 404
    assert client.get(f"/partenaires/documents/{internal.id}/fichier").status_code == 302, "sign in first"


def test_the_footer_links_the_public_page(client):
    footer = parse(client.get("/fr/")).find(".//footer")
    assert any(a.get("href") == "/fr/reseau/" for a in footer.iter("a"))


def test_another_organisations_editor_gets_403_and_nothing_changes(client, people, db, db_app, sign_in):
    sign_in(client, "editeur@ville-a.fr")
    upload(client, "a.pdf", PDF, title="Document de la ville A", tags="cotation")
    document = only_document(db)
    client.post("/partenaires/deconnexion", data={"csrf_token": csrf_token(client, "/partenaires/")})
    sign_in(client, "editeur@ville-b.fr")
    token = csrf_token(client, "/partenaires/")
    before = len(actions(db))
    edit = f"/partenaires/documents/organisations/ville-a/{document.id}"
    assert client.get(edit).status_code == 403
    changed = {"csrf_token": token, "title": "Piraté", "visibility": "public", "tags": ""}
    assert client.post(edit, data=changed).status_code == 403
    assert client.post(f"{edit}/supprimer", data={"csrf_token": token}).status_code == 403
    assert client.get("/partenaires/documents/organisations/ville-a/nouveau").status_code == 403
    # Through their own organisation, another's document is not found.
    assert (
        client.post(
            f"/partenaires/documents/organisations/ville-b/{document.id}/supprimer",
            data={"csrf_token": token},
        ).status_code
        == 404
    )
    db.expire_all()
    document = only_document(db)
    assert (document.title, document.visibility, document.tag_names) == (
        "Document de la ville A",
        "partners",
        ["cotation"],
    )
    assert stored_files(db_app) == [document.stored_name]
    assert len(actions(db)) == before
    # They still read it, as every partner does, without a link to change it.
    rows = parse(client.get("/partenaires/documents/")).findall(".//table[@id='documents']/tbody/tr")
    assert len(rows) == 1 and "Document de la ville A" in text_of(rows[0])
    assert not [a for a in rows[0].iter("a") if "/organisations/" in a.get("href", "")]


def test_a_viewer_reads_but_does_not_share(client, people, db, sign_in):
    sign_in(client, "lecteur@ville-a.fr")
    assert client.get("/partenaires/documents/").status_code == 200
    assert client.get("/partenaires/documents/actualites").status_code == 200
    assert client.get("/partenaires/documents/organisations/ville-a/nouveau").status_code == 403
    response = client.post(
        "/partenaires/documents/organisations/ville-a/nouveau",
        data={
            "csrf_token": csrf_token(client, "/partenaires/"),
            "title": "Lecteur",
            "visibility": "partners",
            "file": (io.BytesIO(PDF), "a.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 403
    assert count(db, SharedDocument) == 0


def test_the_epci_edits_and_deletes_any_document_audited(client, people, db, db_app, sign_in):
    sign_in(client, "editeur@ville-a.fr")
    upload(client, "a.pdf", PDF, title="Avant", tags="cotation, bilan")
    document = only_document(db)
    client.post("/partenaires/deconnexion", data={"csrf_token": csrf_token(client, "/partenaires/")})
    sign_in(client, "editeur@metropole.fr")
    edit = f"/partenaires/documents/organisations/ville-a/{document.id}"
    token = csrf_token(client, edit)
    response = client.post(
        edit, data={"csrf_token": token, "title": "Après", "visibility": "public", "tags": "bilan, guide"}
    )
    assert response.status_code == 302
    db.expire_all()
    document = only_document(db)
    assert (document.title, document.visibility, document.tag_names) == (
        "Après",
        "public",
        ["bilan", "guide"],
    )
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "document.updated")).one()
    assert entry.before == {"title": "Avant", "visibility": "partners", "tags": ["bilan", "cotation"]}
    assert entry.after == {"title": "Après", "visibility": "public", "tags": ["bilan", "guide"]}
    assert entry.user_id == people["epci_editor"].id and entry.organisation_id == people["town"].id
    stored = document.stored_name
    assert client.post(f"{edit}/supprimer", data={"csrf_token": token}).status_code == 302
    assert count(db, SharedDocument) == 0 and stored_files(db_app) == []
    deleted = db.scalars(select(AuditEntry).where(AuditEntry.action == "document.deleted")).one()
    assert deleted.before["sha256"] and stored not in str(deleted.before)


def test_documents_are_filtered_by_tag_and_found_by_title(client, people, db, sign_in):
    sign_in(client, "editeur@ville-a.fr")
    upload(client, "a.pdf", PDF, title="Grille de cotation 2026", tags="cotation")
    upload(client, "b.pdf", PDF + b"%b", title="Bilan annuel", tags="bilan")
    upload(client, "c.pdf", PDF + b"%c", title="100% des demandes", tags="bilan")

    def titles(query: str) -> set[str]:
        rows = parse(client.get("/partenaires/documents/" + query)).findall(
            ".//table[@id='documents']/tbody/tr/th"
        )
        return {text_of(row.find("a")) for row in rows}

    assert titles("") == {"Grille de cotation 2026", "Bilan annuel", "100% des demandes"}
    assert titles("?tag=cotation") == {"Grille de cotation 2026"}
    assert titles("?tag=bilan&q=annuel") == {"Bilan annuel"}
    assert titles("?q=GRILLE") == {"Grille de cotation 2026"}
    assert titles("?q=%25") == {"100% des demandes"}, "a % is a character, not a wildcard"
    assert client.get("/partenaires/documents/?tag=inconnu").status_code == 400


def test_news_markdown_is_sanitised_and_public_news_reach_the_public_site(client, people, db, sign_in):
    sign_in(client, "editeur@ville-a.fr")
    url = "/partenaires/documents/organisations/ville-a/actualites/nouveau"
    body = 'Réunion **importante**.\n\n<script>alert("x")</script>\n\n[lien](javascript:alert(1))'
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "title": "Nouvelle grille",
            "body": body,
            "visibility": "public",
        },
    )
    assert response.status_code == 302
    client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "title": "Entre nous",
            "body": "Interne",
            "visibility": "partners",
        },
    )
    assert actions(db)[-2:] == ["news.published", "news.published"]
    for path in ("/partenaires/documents/actualites", "/fr/reseau/"):
        html = client.get(path).get_data(as_text=True)
        assert "<strong>importante</strong>" in html
        assert "<script>alert" not in html and 'href="javascript:' not in html
    public = text_of(parse(client.get("/fr/reseau/")).find(".//main"))
    assert "Nouvelle grille" in public and "Entre nous" not in public
    assert "Entre nous" in text_of(parse(client.get("/partenaires/documents/actualites")).find(".//main"))


def test_news_are_rendered_once_when_saved_not_at_each_view(client, people, db, monkeypatch, sign_in):
    """A crafted item made the public page take 1.2 s at every view: its HTML is made when it is saved."""
    sign_in(client, "editeur@ville-a.fr")
    post_news(client, "Rendu", "**gras**", "public")
    item = db.scalars(select(NewsItem).where(NewsItem.title == "Rendu")).one()
    assert item.body_html == "<p><strong>gras</strong></p>\n"
    calls = []
    monkeypatch.setattr(markdown, "render_markdown", lambda *args: calls.append(1) or "")
    monkeypatch.setattr(library_operations, "render_markdown", lambda *args: calls.append(1) or "")
    page = client.get("/fr/reseau/")
    assert "<strong>gras</strong>" in page.get_data(as_text=True) and calls == []


def test_meetings_are_kept_in_paris_time_and_only_public_ones_are_published(client, people, db, sign_in):
    sign_in(client, "editeur@ville-a.fr")
    url = "/partenaires/documents/organisations/ville-a/reunions/nouveau"
    fields = {"day": "2030-06-04", "time": "14:30", "place": "Hôtel de ville", "description": ""}
    for title, visibility in (("Comité de pilotage", "public"), ("Groupe de travail", "partners")):
        response = client.post(
            url,
            data={"csrf_token": csrf_token(client, url), "title": title, "visibility": visibility, **fields},
        )
        assert response.status_code == 302
    meeting = db.scalars(select(NetworkMeeting).where(NetworkMeeting.title == "Comité de pilotage")).one()
    starts = meeting.starts_at if meeting.starts_at.tzinfo else meeting.starts_at.replace(tzinfo=dt.UTC)
    assert starts == dt.datetime(2030, 6, 4, 12, 30, tzinfo=dt.UTC)
    assert actions(db)[-1] == "meeting.added"
    public = text_of(parse(client.get("/fr/reseau/")).find(".//ul[@id='meetings']"))
    assert "Comité de pilotage" in public and "14:30" in public and "Groupe de travail" not in public
    # Wrong input is explained and kept.
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "title": "Sans date",
            "visibility": "public",
            "day": "demain",
            "time": "14:30",
        },
    )
    assert response.status_code == 400
    assert parse(response).find(".//input[@id='day'][@aria-invalid='true']") is not None


def test_news_and_meetings_of_another_organisation_cannot_be_changed(client, people, db, sign_in):
    news = NewsItem(
        organisation_id=people["town"].id, title="Actualité A", body="Texte", visibility="partners"
    )
    meeting = NetworkMeeting(
        organisation_id=people["town"].id,
        title="Réunion A",
        starts_at=dt.datetime(2030, 1, 1, 9, tzinfo=dt.UTC),
    )
    db.add_all([news, meeting])
    db.flush()
    sign_in(client, "editeur@ville-b.fr")
    token = csrf_token(client, "/partenaires/")
    for kind, item in (("actualites", news), ("reunions", meeting)):
        url = f"/partenaires/documents/organisations/ville-a/{kind}/{item.id}"
        assert (
            client.post(
                url,
                data={
                    "csrf_token": token,
                    "title": "Piraté",
                    "body": "x",
                    "visibility": "public",
                    "day": "2030-01-01",
                    "time": "10:00",
                },
            ).status_code
            == 403
        )
        assert client.post(f"{url}/supprimer", data={"csrf_token": token}).status_code == 403
    db.expire_all()
    assert (
        db.get(NewsItem, news.id).title == "Actualité A"
        and db.get(NetworkMeeting, meeting.id).title == "Réunion A"
    )
    assert not [action for action in actions(db) if action.startswith(("news.", "meeting."))]


def post_news(client, title: str, body: str, visibility: str):
    url = "/partenaires/documents/organisations/ville-a/actualites/nouveau"
    data = {"csrf_token": csrf_token(client, url), "title": title, "body": body, "visibility": visibility}
    return client.post(url, data=data)


def test_the_author_changes_then_deletes_a_news_item(client, people, db, sign_in):
    sign_in(client, "editeur@ville-a.fr")
    post_news(client, "Titre", "Un", "partners")
    item = db.scalars(select(NewsItem)).one()
    edit = f"/partenaires/documents/organisations/ville-a/actualites/{item.id}"
    assert parse(client.get(edit)).find(".//input[@id='title']").get("value") == "Titre"
    token = csrf_token(client, edit)
    assert (
        client.post(
            edit, data={"csrf_token": token, "title": "Titre", "body": "Deux", "visibility": "public"}
        ).status_code
        == 302
    )
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "news.updated")).one()
    assert entry.before == {"body": "Un", "visibility": "partners"} and entry.after == {
        "body": "Deux",
        "visibility": "public",
    }
    assert client.post(f"{edit}/supprimer", data={"csrf_token": token}).status_code == 302
    assert count(db, NewsItem) == 0 and actions(db)[-1] == "news.deleted"


def test_the_workspace_language_can_be_chosen_on_these_pages(client, people, sign_in):
    sign_in(client, "editeur@ville-a.fr")
    response = client.get("/partenaires/documents/?lang=en")
    assert response.status_code == 302 and response.headers["Location"] == "/partenaires/documents/"
    page = parse(client.get("/partenaires/documents/"))
    assert page.get("lang") == "en"
    switcher = [a.get("href") for a in page.findall(".//nav[@class='language-switcher']//a")]
    assert "/partenaires/documents/?lang=ar" in switcher
