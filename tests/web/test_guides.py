"""PDF guides: contents in the right language, tagged and with embedded fonts, a fetcher that serves only
the portal's own files, the disk cache, the statement that is never stored, the desk agent page."""

from __future__ import annotations

import dataclasses
import io
import shutil
import sqlite3
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner
from flask_babel import force_locale, gettext
from sqlalchemy import select

from portal import cli, clock, db
from portal.cotation.models import CriterionRecord
from portal.demands import views as demand_views
from portal.desks.models import Desk
from portal.desks.services import haversine_km
from portal.guides import jobs as guide_jobs
from portal.guides.models import RenderClaim
from portal.guides.render import BASE_URL, GuideFetcher, RefusedURL, render_pdf
from portal.guides.services import NEIGHBOUR_KM, registration_desks
from portal.guides.slots import Busy, RenderSlot
from portal.revision import bump_revision
from portal.territory.models import Commune
from portal.text import slugify
from tests.pagecheck import csrf_token, parse, text_of
from tests.support import DEMO_LOOKUPS, build_app, run_queued

STATIC = Path(__file__).resolve().parents[2] / "static"
_rendered: dict[str, bytes] = {}  # one rendering per URL for the whole module: guides take seconds


def pdf_of(client, url: str) -> pypdf.PdfReader:
    if url not in _rendered:
        response = client.get(url)
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        assert response.mimetype == "application/pdf"
        _rendered[url] = response.data
    return pypdf.PdfReader(io.BytesIO(_rendered[url]))


def text(reader: pypdf.PdfReader) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def assert_accessible_pdf(reader: pypdf.PdfReader, lang: str, title: str) -> None:
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]), "tagged PDF"
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == lang
    assert reader.metadata.title == title
    assert reader.metadata.author == "Le Mans Métropole"
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            fonts[font["/BaseFont"]] = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    assert fonts and all(fonts.values()), f"every font embedded: {fonts}"
    assert all("+" in name for name in fonts), "embedded as subsets"


def test_the_french_guide_has_cover_contents_every_page_ceilings_grid_and_desks(client):
    reader = pdf_of(client, "/fr/guides?guide=guide&locale=fr&format=pdf")
    assert_accessible_pdf(reader, "fr", "Guide du demandeur")
    assert len(reader.pages) > 30
    cover, contents = reader.pages[0].extract_text(), " ".join(reader.pages[1].extract_text().split())
    assert "Guide du demandeur" in cover and "Le Mans Métropole" in cover and "Français" in cover
    assert "Sommaire" in contents and "Qui peut demander un logement social" in contents
    assert "Page 2 sur" in contents, "running footer in the locale"
    whole = text(reader)
    for fact in (
        "Plafonds de ressources",
        "23 403",
        "Grille de cotation générale",
        "DALO",
        "Où se faire aider",
    ):
        assert fact in whole, fact
    assert "Maison de l'habitat" in whole or "Maison de l’habitat" in whole


def test_the_arabic_guide_is_right_to_left_with_a_readable_text_layer(client, app):
    reader = pdf_of(client, "/ar/guides?guide=guide&locale=ar&format=pdf")
    with app.test_request_context(), force_locale("ar"):
        title = gettext("Applicant's guide")
    assert title != "Applicant's guide", "the catalog translates the title"
    assert_accessible_pdf(reader, "ar", title)
    whole = text(reader)
    # Copying or reading the text gives the real letters (not those of a shared glyph).
    assert "من يمكنه طلب سكن اجتماعي؟" in whole
    assert "23" in whole and "403" in whole, "the ceilings table"


def test_a_guide_in_another_locale_and_the_easy_to_read_guide(client):
    spanish = pdf_of(client, "/es/guides?guide=guide&locale=es&format=pdf")
    assert spanish.trailer["/Root"]["/Lang"] == "es"
    assert "¿Quién puede solicitar una vivienda social?" in text(spanish)
    easy = pdf_of(client, "/fr/guides?guide=easy&locale=fr&format=pdf")
    assert easy.metadata.title == "Guide du demandeur en français facile à lire"
    assert len(easy.pages) < len(pdf_of(client, "/fr/guides?guide=guide&locale=fr&format=pdf").pages)


def test_the_commune_edition_lists_its_desks_and_its_neighbours(client, app):
    reader = pdf_of(client, "/fr/guides?guide=commune&locale=fr&commune=72003&format=pdf")
    whole = text(reader)
    assert "Allonnes" in reader.pages[0].extract_text()
    with app.app_context():
        names = {desk.commune_insee: desk.name for desk in db.session().scalars(select(Desk))}
    assert names["72003"].split()[0] in whole


def test_the_grid_sheet_explains_every_criterion(client):
    reader = pdf_of(client, "/fr/cotation/grille.pdf")
    assert_accessible_pdf(reader, "fr", "Fiche de la grille de cotation")
    whole = text(reader)
    assert "Grille de cotation générale" in whole and "mutation" in whole
    assert "Ancienneté" in whole


def test_the_desk_sheet_is_one_page_with_a_qr_code(client, app, monkeypatch):
    with app.app_context():
        desk = db.session().scalars(select(Desk).order_by(Desk.id)).first()
        name = desk.name
    served = []
    fetch = GuideFetcher.fetch

    def spy(self, url, headers=None):
        response = fetch(self, url, headers)
        served.append((url, response.read()))
        return fetch(self, url, headers)

    monkeypatch.setattr(GuideFetcher, "fetch", spy)
    response = client.get(f"/fr/guichets/{desk.id}/fiche.pdf")
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 1
    assert_accessible_pdf(reader, "fr", name)
    page = reader.pages[0].extract_text()
    assert name.split()[0] in page and "Horaires d'ouverture" in page
    qr = [body for url, body in served if url.endswith("/generated/qr.svg")]
    assert qr and b"<svg" in qr[0] and b"<path" in qr[0], "the QR code is made here and drawn"
    assert client.get("/fr/guichets/999999/fiche.pdf").status_code == 404


def test_the_fetcher_serves_only_the_portals_own_files():
    fetcher = GuideFetcher(STATIC, {"qr.svg": (b"<svg/>", "image/svg+xml")})
    assert fetcher.fetch(BASE_URL + "static/css/guide.css").read().startswith(b"/*")
    font = fetcher.fetch(
        BASE_URL + "static/vendor/fonts/atkinson-hyperlegible/atkinson-hyperlegible-latin-400-normal.woff2"
    )
    assert font.read(4) in (b"\x00\x01\x00\x00", b"OTTO"), "WOFF2 served decompressed"
    assert fetcher.fetch(BASE_URL + "generated/qr.svg").read() == b"<svg/>"
    for url in (
        "file:///etc/passwd",
        "http://example.org/logo.png",
        "https://example.org/static/css/guide.css",
        "data:text/plain;base64,SGVsbG8=",
        BASE_URL + "static/../../../../etc/passwd",
        BASE_URL + "static/%2e%2e/pyproject.toml",
        BASE_URL + "generated/other.svg",
        BASE_URL + "instance/portal.db",
    ):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 8


def test_a_document_asking_for_foreign_files_renders_without_them(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    html = (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>T</title>'
        f'<link rel="stylesheet" href="file://{secret}"></head><body><h1>T</h1>'
        f'<img src="file://{secret}" alt="a"><img src="http://127.0.0.1:9/x.png" alt="b">'
        f'<iframe src="file://{secret}"></iframe></body></html>'
    )
    pdf = pypdf.PdfReader(io.BytesIO(render_pdf(html, STATIC)))
    assert "TOP-SECRET" not in pdf.pages[0].extract_text()


def count_renders(monkeypatch) -> list[int]:
    renders: list[int] = []
    real = guide_jobs.render_pdf
    monkeypatch.setattr(guide_jobs, "render_pdf", lambda *args: renders.append(1) or real(*args))
    return renders


def test_guides_are_cached_on_disk_and_answer_conditional_requests(client, app, monkeypatch):
    renders = count_renders(monkeypatch)
    first = client.get("/fr/cotation/grille.pdf")
    again = client.get("/fr/cotation/grille.pdf")
    assert len(renders) == 1 and first.data == again.data
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    assert "public" in first.headers["Cache-Control"]
    folder = app.config["PORTAL_SETTINGS"].instance_dir / "cache" / "guides"
    assert [path.name.split("--")[0] for path in folder.glob("*.pdf")] == ["grid-fr"]
    unchanged = client.get("/fr/cotation/grille.pdf", headers={"If-None-Match": first.headers["ETag"]})
    assert unchanged.status_code == 304 and len(renders) == 1


def queued(tmp_path, sqlite_url, **overrides):
    """The portal on a copy of the test database (real commits, a connection per request, as in
    production) with a real queue (SQLite storage in its instance folder): requests only queue renders."""
    copy = tmp_path / "portal.db"
    with sqlite3.connect(sqlite_url.removeprefix("sqlite:///")) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    app = build_app(tmp_path, None, jobs_immediate=False, database_url=f"sqlite:///{copy}", **overrides)
    yield app
    app.extensions["portal.db"].engine.dispose()


@pytest.fixture
def queued_app(tmp_path, sqlite_url):
    yield from queued(tmp_path, sqlite_url)


@pytest.fixture
def queued_app_fr_ar(tmp_path, sqlite_url):
    """The same in French and Arabic only: every document of a locale is listed, built and queued the
    same way, and each further locale repeats them (the nine of the portal make ~470 documents, which
    the pre-render builds in seconds each time)."""
    yield from queued(tmp_path, sqlite_url, locales="fr,ar")


def test_three_parallel_cold_requests_queue_one_render_and_none_renders_in_the_request(
    queued_app, monkeypatch
):
    renders = count_renders(monkeypatch)
    url = "/fr/guides?guide=commune&locale=fr&commune=72003&format=pdf"
    with ThreadPoolExecutor(3) as pool:
        answers = list(pool.map(lambda _: queued_app.test_client().get(url), range(3)))
    assert [answer.status_code for answer in answers] == [503] * 3 and renders == []
    assert all(
        answer.headers["Retry-After"] == "5" and answer.headers["Refresh"] == "5" for answer in answers
    )
    assert "no-store" in answers[0].headers["Cache-Control"]
    assert "en préparation" in text_of(parse(answers[0]).find(".//main")).lower()
    assert queued_app.extensions["portal.jobs"].huey.pending_count() == 1, "one render queued, not three"
    assert run_queued(queued_app) == 1 and len(renders) == 1
    ready = queued_app.test_client().get(url)
    assert ready.status_code == 200 and ready.mimetype == "application/pdf" and len(renders) == 1


def test_every_public_document_is_prerendered_once_and_a_waiting_request_goes_first(
    queued_app_fr_ar, monkeypatch
):
    app = queued_app_fr_ar
    with app.app_context():
        queued = guide_jobs.prerender_all()
        assert queued == 0, "not when PORTAL_GUIDES_PRERENDER is off"
    settings = app.config["PORTAL_SETTINGS"]
    monkeypatch.setitem(app.config, "PORTAL_SETTINGS", dataclasses.replace(settings, guides_prerender=True))
    with app.app_context():
        session = db.session()
        communes = session.scalars(select(Commune.insee)).all()
        desks = session.scalars(select(Desk.id)).all()
        assert communes and desks
        expected = {("easy", "fr", None)} | {
            spec
            for code in ("fr", "ar")
            for spec in [("guide", code, None), ("grid", code, None)]
            + [("commune", code, insee) for insee in communes]
            + [("desk", code, desk_id) for desk_id in desks]
        }
        queued = guide_jobs.prerender_all()
        assert queued == len(expected), "guides, grid sheets, commune editions and desk sheets"
        assert guide_jobs.prerender_all() == 0, "each is queued once"
        claims = session.scalars(select(RenderClaim)).all()
        assert len(claims) == len(expected) and not any(claim.urgent for claim in claims)
    huey = app.extensions["portal.jobs"].huey
    assert huey.pending_count() == len(expected)
    assert {tuple(task.args) for task in huey.pending()} == expected, "every document of every locale"
    waiting = app.test_client().get("/ar/cotation/grille.pdf")
    assert waiting.status_code == 503
    assert huey.pending_count() == len(expected) + 1, "an urgent render of it, ahead of the others"
    first = huey.dequeue()
    assert first.args == ("grid", "ar", None) and first.priority == guide_jobs.URGENT


def test_publishing_new_content_makes_a_new_guide(client, app, monkeypatch):

    first = client.get("/fr/cotation/grille.pdf")
    with app.app_context():
        session = db.session()
        criterion = session.scalars(select(CriterionRecord).where(CriterionRecord.code == "dalo")).first()
        criterion.label = {**criterion.label, "fr": "Reconnu prioritaire DALO (texte modifié)"}
        bump_revision(session)
        session.commit()
    second = client.get("/fr/cotation/grille.pdf")
    assert second.headers["ETag"] != first.headers["ETag"]
    assert "texte modifié" in text(pypdf.PdfReader(io.BytesIO(second.data)))
    folder = app.config["PORTAL_SETTINGS"].instance_dir / "cache" / "guides"
    assert len(list(folder.glob("grid-fr--*.pdf"))) == 1, "the older file is removed"


def test_a_folder_that_cannot_be_written_is_logged_and_the_shared_copy_served(client, app, caplog):
    folder = app.config["PORTAL_SETTINGS"].instance_dir / "cache"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "guides").write_text("not a folder", encoding="utf-8")
    response = client.get("/fr/cotation/grille.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert "guide cache not written" in caplog.text


def test_a_document_printed_by_one_machine_is_served_by_another(tmp_path, db, monkeypatch):
    """The printed documents are shared (in the database): a second app server, with an instance folder
    of its own, serves what the first one's consumer printed, without printing it again."""
    renders = count_renders(monkeypatch)
    first = build_app(tmp_path / "a", db.connection())
    second = build_app(tmp_path / "b", db.connection())
    assert first.test_client().get("/fr/cotation/grille.pdf").status_code == 200
    served = second.test_client().get("/fr/cotation/grille.pdf")
    assert served.status_code == 200 and served.data.startswith(b"%PDF") and len(renders) == 1
    assert list((tmp_path / "b" / "instance" / "cache" / "guides").glob("grid-fr--*.pdf")), "copied locally"


def test_a_render_releases_only_its_own_claim(app):
    with app.app_context():
        assert guide_jobs.claim("grid-fr", "old", urgent=False)
        assert guide_jobs.claim("grid-fr", "new", urgent=True), "newer content takes the claim over"
        guide_jobs.release("grid-fr", "old")
        assert db.session().get(RenderClaim, "grid-fr").key == "new", "the newer claim stays"
        guide_jobs.release("grid-fr", "new")
        assert db.session().get(RenderClaim, "grid-fr") is None


def look_up_first_demo(client) -> None:
    number, birth = DEMO_LOOKUPS[0]
    client.post(
        "/fr/ma-demande",
        data={
            "csrf_token": csrf_token(client, "/fr/ma-demande"),
            "number": number,
            "birth_date": birth.strftime("%d/%m/%Y"),
        },
    )


def test_the_statement_needs_a_look_up_and_is_never_stored(client, app):
    assert client.get("/fr/ma-demande/situation.pdf").headers["Location"] == "/fr/ma-demande"
    look_up_first_demo(client)
    number = DEMO_LOOKUPS[0][0]
    response = client.get("/fr/ma-demande/situation.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "no-store" in response.headers["Cache-Control"] and "ETag" not in response.headers
    assert response.headers["Content-Disposition"].startswith("attachment")
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    whole = text(reader)
    assert number in whole and "Votre cotation" in whole and "Votre demande" in whole
    assert "Relevé du" in whole, "dated"
    folder = app.config["PORTAL_SETTINGS"].instance_dir / "cache" / "guides"
    assert not folder.exists() or not list(folder.glob("statement*")), "nothing written to disk"


def test_the_statement_is_printed_once_per_look_up_and_limited_per_demand(app, monkeypatch):
    renders: list[int] = []
    real = demand_views.render_pdf
    monkeypatch.setattr(demand_views, "render_pdf", lambda *args: renders.append(1) or real(*args))
    client = app.test_client()
    look_up_first_demo(client)
    first, again = client.get("/fr/ma-demande/situation.pdf"), client.get("/fr/ma-demande/situation.pdf")
    assert first.data == again.data and len(renders) == 1, "kept with the look-up session"
    settings = app.config["PORTAL_SETTINGS"]
    held = [RenderSlot(settings.instance_dir / "render-slots", settings.render_slots) for _ in range(2)]
    waiting = app.test_client()
    waiting.environ_base["REMOTE_ADDR"] = "10.8.0.1"
    look_up_first_demo(waiting)
    quick = demand_views.render_slot
    monkeypatch.setattr(demand_views, "render_slot", lambda wait: quick(wait=0.1))
    for slot in held:
        slot.__enter__()
    try:  # every slot taken: the page asks again, and waiting uses none of the demand's printings
        assert [waiting.get("/fr/ma-demande/situation.pdf").status_code for _ in range(8)] == [503] * 8
    finally:
        for slot in held:
            slot.__exit__()
    statuses = []
    for attempt in range(6):  # other browsers, other addresses, the same demand
        other = app.test_client()
        other.environ_base["REMOTE_ADDR"] = f"10.9.0.{attempt}"
        look_up_first_demo(other)
        statuses.append(other.get("/fr/ma-demande/situation.pdf").status_code)
    assert statuses == [200] * 5 + [429], "six printings of one demand an hour, whoever asks"


def test_a_statement_waits_when_every_render_slot_is_taken(app):
    client = app.test_client()
    look_up_first_demo(client)
    settings = app.config["PORTAL_SETTINGS"]
    held = [RenderSlot(settings.instance_dir / "render-slots", settings.render_slots) for _ in range(2)]
    for slot in held:
        slot.__enter__()
    try:
        busy = client.get("/fr/ma-demande/situation.pdf")
    finally:
        for slot in held:
            slot.__exit__()
    assert busy.status_code == 503 and busy.headers["Retry-After"]
    assert client.get("/fr/ma-demande/situation.pdf").status_code == 200


def test_render_slots_cap_the_renders_of_a_machine(tmp_path):
    with RenderSlot(tmp_path, 1), pytest.raises(Busy):
        RenderSlot(tmp_path, 1).__enter__()
    with RenderSlot(tmp_path, 1):
        pass


def test_a_desk_sheet_points_to_the_public_address_whatever_the_host(client, app):
    with app.test_request_context(headers={"Host": "attacker.example"}):
        desk = db.session().scalars(select(Desk).order_by(Desk.id)).first()
        document = guide_jobs.documents.desk_document(desk, "fr")
    assert "attacker.example" not in document.html
    assert f"http://127.0.0.1:5000/fr/guichets/{desk.id}-" in document.html


def test_the_desk_agent_page_offers_every_guide_and_explains_a_wrong_choice(client):
    page = client.get("/fr/guides")
    assert page.status_code == 200
    options = [option.get("value") for option in parse(page).iter("option")]
    assert {"guide", "easy", "commune", "grid", "ar", "72003"} <= set(options)
    wrong = client.get("/fr/guides?guide=commune&locale=ar&commune=&format=pdf")
    assert wrong.status_code == 400
    body = text_of(parse(wrong).find(".//main"))
    assert "Choisissez la commune de cette édition." in body
    selected = [
        option.get("value") for option in parse(wrong).iter("option") if option.get("selected") is not None
    ]
    assert {"commune", "ar"} <= set(selected), "the choice is kept"
    assert client.get("/fr/guides?guide=guide&locale=xx&format=pdf").status_code == 400


def test_the_preview_is_the_same_document_as_html(client):
    preview = client.get("/fr/guides?guide=grid&locale=ar&format=html")
    assert preview.status_code == 200 and preview.mimetype == "text/html"
    tree = parse(preview)
    assert tree.get("lang") == "ar" and tree.get("dir") == "rtl"


def test_desk_and_commune_pages_link_their_pdfs(client, app):
    with app.app_context():
        desk = db.session().scalars(select(Desk).order_by(Desk.id)).first()
    page = client.get(f"/fr/guichets/{desk.id}-{slugify(desk.name)}")
    assert page.status_code == 200
    assert f"/fr/guichets/{desk.id}/fiche.pdf" in [a.get("href") for a in parse(page).iter("a")]
    commune_page = client.get("/fr/communes/72003-allonnes")
    assert commune_page.status_code == 200
    links = [a.get("href") or "" for a in parse(commune_page).iter("a")]
    assert any("guide=commune" in href and "commune=72003" in href and "format=pdf" in href for href in links)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="make test installs poppler-utils")
def test_the_cover_renders_as_a_printed_page(client, tmp_path):
    """pdftoppm draws the cover: an A4 page, mostly white, with ink on it (not blank, not a black box)."""
    pdf = tmp_path / "guide.pdf"
    pdf_of(client, "/fr/guides?guide=guide&locale=fr&format=pdf")
    pdf.write_bytes(_rendered["/fr/guides?guide=guide&locale=fr&format=pdf"])
    subprocess.run(
        ["pdftoppm", "-r", "30", "-gray", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "cover")], check=True
    )
    image = next(tmp_path.glob("cover*.pgm")).read_bytes()
    header, pixels = image.split(b"\n255\n", 1)
    width, height = (int(value) for value in header.split()[1:3])
    assert abs(height / width - 297 / 210) < 0.02, "A4 portrait"
    dark = sum(1 for value in pixels if value < 128) / len(pixels)
    assert 0.005 < dark < 0.2


def test_the_desks_of_a_commune_edition_are_its_own_then_the_nearest(db):
    """On both backends: the commune's desks first, then its neighbours' within 12 km, never farther."""
    home = db.get(Commune, "72003")
    desks = registration_desks(db, "72003")
    assert desks and desks[0].commune_insee == "72003"
    distances = [
        haversine_km(home.latitude, home.longitude, desk.commune.latitude, desk.commune.longitude)
        for desk in desks
    ]
    assert distances == sorted(distances) and max(distances) <= NEIGHBOUR_KM
    everywhere = registration_desks(db)
    assert all(desk.level >= 2 for desk in everywhere) and len(everywhere) > len(desks) / 2
    assert registration_desks(db, "99999") == []


def test_the_build_command_prerenders_into_the_cache_and_copies_for_print(tmp_path):
    environ = {"PORTAL_INSTANCE_DIR": str(tmp_path), "PORTAL_ENV": "testing", "PORTAL_SECRET_KEY": "k" * 40}
    runner = CliRunner()
    for command in (["db", "upgrade"], ["territory", "load"], ["content", "load"], ["cotation", "load"]):
        assert runner.invoke(cli.main, command, env=environ).exit_code == 0
    out = tmp_path / "print"
    result = runner.invoke(cli.main, ["guides", "build", "--locale", "fr", "--out", str(out)], env=environ)
    assert result.exit_code == 0, result.output
    assert "3 documents (3 rendered, 0 already in the cache" in result.output
    assert sorted(path.name for path in out.iterdir()) == ["easy-fr.pdf", "grid-fr.pdf", "guide-fr.pdf"]
    again = runner.invoke(cli.main, ["guides", "build", "--locale", "fr"], env=environ)
    assert "3 documents (0 rendered, 3 already in the cache" in again.output
    wrong = runner.invoke(cli.main, ["guides", "build", "--locale", "xx"], env=environ)
    assert wrong.exit_code == 2 and "not a locale of the portal: xx" in wrong.output


def test_a_desk_change_makes_a_new_guide(client, app):
    """The guide's stamp includes the desks: a desk renamed shows in the next guide at once."""
    url = "/fr/guides?guide=guide&locale=fr&format=pdf"
    before = client.get(url)
    with app.app_context():
        session = db.session()
        desk = session.scalars(select(Desk).where(Desk.level >= 2).order_by(Desk.id)).first()
        desk.name = "Guichet renommé pour le test"
        desk.updated_on = clock.today()
        session.commit()
    after = client.get(url)
    assert after.headers["ETag"] != before.headers["ETag"]
    assert "Guichet renommé pour le test" in text(pypdf.PdfReader(io.BytesIO(after.data)))


def test_the_guides_page_is_rate_limited(client):
    """A guide that is not cached costs seconds of rendering: one address cannot ask for them endlessly."""
    statuses = [client.get("/fr/guides").status_code for _ in range(31)]
    assert statuses[:30] == [200] * 30 and statuses[30] == 429
