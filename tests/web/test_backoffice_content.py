"""The content workflow on both backends: drafts per organisation, preview, submit, review with a comparison,
publish (and the public page follows), send back, history and restore, translations that lag, the conflict of
two people saving the same draft, permissions, CSRF and the audit entries."""

from __future__ import annotations

import pyotp
import pytest
from sqlalchemy import func, select

from portal.information.models import ARCHIVED, DRAFT, IN_REVIEW, PUBLISHED, Page, PageVersion
from portal.partners.models import AuditEntry
from tests.factories.partners import create_organisation, create_partner
from tests.pagecheck import csrf_token, parse, text_of
from tests.support import sign_in

SLUG = "qui-peut-demander"
EDIT = f"/partenaires/contenus/{SLUG}/fr/standard"
PUBLIC = f"/fr/informations/{SLUG}"
NEW_BODY = "## Qui peut demander\n\nToute personne majeure peut déposer une demande : mot-repere-zebre.\n"


@pytest.fixture
def people(db):
    town = create_organisation(db, "ville-a")
    other = create_organisation(db, "ville-b")
    epci = create_organisation(db, "metropole", kind="epci")
    secret = pyotp.random_base32
    return {
        "editor": create_partner(db, "editeur@ville-a.fr", {town: ["editor"]}, name="Edith Editrice"),
        "colleague": create_partner(db, "collegue@ville-a.fr", {town: ["editor"]}, name="Colin Collegue"),
        "other_editor": create_partner(db, "editeur@ville-b.fr", {other: ["editor"]}),
        "viewer": create_partner(db, "lecteur@ville-a.fr", {town: ["viewer", "desk_agent"]}),
        "reviewer": create_partner(db, "relecteur@metropole.fr", {epci: ["reviewer"]}, totp_secret=secret()),
        "epci_both": create_partner(
            db, "redac@metropole.fr", {epci: ["editor", "reviewer"]}, totp_secret=secret()
        ),
    }


def client_of(db_app, people, who: str):
    client = db_app.test_client()
    person = people[who]
    sign_in(client, person)
    return client


def form_values(client, url: str) -> dict:
    """What the edit form holds: the fields a browser would send back."""
    form = parse(client.get(url)).find(".//form[@id='draft-form']")
    values = {
        field.get("name"): field.get("value") or ""
        for field in form.iter("input")
        if field.get("type") != "checkbox"
    }
    values.update({area.get("name"): area.text or "" for area in form.iter("textarea")})
    return values


def save(client, url: str = EDIT, action: str = "save", **changes):
    values = form_values(client, url)
    values.update(changes, action=action)
    return client.post(url, data=values)


def page_row(db) -> Page:
    return db.scalar(select(Page).where(Page.slug == SLUG))


def versions(db, status: str) -> list[PageVersion]:
    db.expire_all()
    return list(
        db.scalars(
            select(PageVersion).where(
                PageVersion.page_id == page_row(db).id,
                PageVersion.locale == "fr",
                PageVersion.variant == "standard",
                PageVersion.status == status,
            )
        )
    )


def actions(db) -> list[str]:
    return list(
        db.scalars(
            select(AuditEntry.action).where(AuditEntry.action.like("content.%")).order_by(AuditEntry.id)
        )
    )


def act(client, version_id: int, action: str, **fields):
    url = f"/partenaires/contenus/versions/{version_id}"
    return client.post(
        url, data={"csrf_token": csrf_token(client, "/partenaires/"), "action": action, **fields}
    )


def submitted_draft(db_app, people, db) -> tuple[object, PageVersion]:
    editor = client_of(db_app, people, "editor")
    assert save(editor, action="submit", body=NEW_BODY).status_code == 302
    return editor, versions(db, IN_REVIEW)[0]


def test_an_editor_drafts_and_a_reviewer_publishes_what_the_public_then_reads(db_app, people, db):
    published_before = versions(db, PUBLISHED)[0]
    editor = client_of(db_app, people, "editor")
    assert editor.get(EDIT).status_code == 200
    response = save(editor, body=NEW_BODY)
    assert response.status_code == 302
    draft = versions(db, DRAFT)[0]
    assert draft.organisation_id is not None and draft.author_id == people["editor"].id
    assert draft.base_version_id == published_before.id and draft.number > published_before.number
    assert "mot-repere-zebre" not in db_app.test_client().get(PUBLIC).get_data(as_text=True), (
        "a draft is not public"
    )

    assert act(editor, draft.id, "submit").status_code == 302
    assert versions(db, IN_REVIEW)[0].id == draft.id

    reviewer = client_of(db_app, people, "reviewer")
    listing = reviewer.get("/partenaires/contenus/")
    assert f"/partenaires/contenus/versions/{draft.id}" in listing.get_data(as_text=True)
    review = parse(reviewer.get(f"/partenaires/contenus/versions/{draft.id}"))
    inserted = [text_of(node) for node in review.iter("ins")]
    assert any("mot-repere-zebre" in text for text in inserted), "the comparison shows the new line"
    assert review.iter("del") and any(True for _ in review.iter("del")), "and the published lines it replaces"

    assert act(reviewer, draft.id, "publish").status_code == 302
    assert [version.id for version in versions(db, PUBLISHED)] == [draft.id]
    assert published_before.id in [version.id for version in versions(db, ARCHIVED)]
    public = db_app.test_client().get(PUBLIC)
    assert public.status_code == 200 and "mot-repere-zebre" in public.get_data(as_text=True)
    assert "mot-repere-zebre" in db_app.test_client().get("/fr/recherche?q=mot-repere-zebre").get_data(
        as_text=True
    )
    assert actions(db) == [
        "content.draft_started",
        "content.draft_saved",
        "content.submitted",
        "content.published",
    ]
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "content.published"))
    assert entry.user_id == people["reviewer"].id and entry.after["status"] == PUBLISHED


def test_a_draft_sent_back_needs_a_comment_and_returns_to_its_organisation(db_app, people, db):
    editor, draft = submitted_draft(db_app, people, db)
    reviewer = client_of(db_app, people, "reviewer")
    act(reviewer, draft.id, "send_back", comment="   ")
    assert versions(db, IN_REVIEW)[0].id == draft.id, "no comment: nothing changes"
    act(reviewer, draft.id, "send_back", comment="Précisez l'âge minimum.")
    returned = versions(db, DRAFT)[0]
    assert returned.id == draft.id and returned.review_note == "Précisez l'âge minimum."
    assert "Précisez l'âge minimum." in text_of(parse(editor.get(EDIT)).find(".//main"))
    assert "content.sent_back" in actions(db)
    assert act(reviewer, draft.id, "publish").status_code == 403, (
        "back with its organisation: not the reviewer's"
    )
    assert versions(db, DRAFT)[0].id == draft.id, "a draft sent back cannot be published"


def test_the_author_of_a_draft_does_not_publish_it(db_app, people, db):
    both = client_of(db_app, people, "epci_both")
    save(both, action="submit", body=NEW_BODY)
    draft = versions(db, IN_REVIEW)[0]
    act(both, draft.id, "publish")
    assert versions(db, IN_REVIEW)[0].id == draft.id
    assert "content.published" not in actions(db)


def test_another_organisation_neither_sees_nor_changes_a_draft(db_app, people, db):
    editor = client_of(db_app, people, "editor")
    save(editor, body=NEW_BODY)
    draft = versions(db, DRAFT)[0]
    other = client_of(db_app, people, "other_editor")
    assert other.get(f"/partenaires/contenus/versions/{draft.id}").status_code == 403
    for action in ("submit", "discard", "withdraw", "publish"):
        assert act(other, draft.id, action).status_code == 403
    assert versions(db, DRAFT)[0].body == NEW_BODY
    assert "mot-repere-zebre" not in other.get(EDIT).get_data(as_text=True), (
        "their editor starts from the public text"
    )
    reviewer = client_of(db_app, people, "reviewer")
    assert reviewer.get(f"/partenaires/contenus/versions/{draft.id}").status_code == 403, "not submitted yet"


def test_an_editor_who_is_not_a_reviewer_cannot_publish(db_app, people, db):
    _editor, draft = submitted_draft(db_app, people, db)
    colleague = client_of(db_app, people, "colleague")
    assert act(colleague, draft.id, "publish").status_code == 403
    assert act(colleague, draft.id, "send_back", comment="non").status_code == 403
    assert versions(db, IN_REVIEW)[0].id == draft.id


@pytest.mark.parametrize("who", ["viewer"])
def test_people_without_an_editing_role_are_refused(db_app, people, db, who):
    client = client_of(db_app, people, who)
    assert client.get("/partenaires/contenus/").status_code == 403
    assert client.get(EDIT).status_code == 403
    values = {"csrf_token": csrf_token(client, "/partenaires/"), "title": "x", "body": "y", "action": "save"}
    assert client.post(EDIT, data=values).status_code == 403
    assert versions(db, DRAFT) == []
    assert db_app.test_client().get("/partenaires/contenus/").status_code == 302, "signed out: to the sign-in"


def test_two_people_saving_the_same_draft_do_not_overwrite_each_other(db_app, people, db):
    first = client_of(db_app, people, "editor")
    second = client_of(db_app, people, "colleague")
    save(first, body="## Version commune\n\nTexte de départ.\n")
    first_form, second_form = form_values(first, EDIT), form_values(second, EDIT)
    assert first_form["lock_version"] == second_form["lock_version"] != ""

    first_form.update(body="## Version commune\n\nTexte d'Edith.\n", action="save")
    assert first.post(EDIT, data=first_form).status_code == 302
    second_form.update(body="## Version commune\n\nTexte de Colin.\n", action="save")
    refused = second.post(EDIT, data=second_form)
    assert refused.status_code == 409
    page = parse(refused)
    assert "Texte de Colin." in page.find(".//textarea[@name='body']").text, "their text is kept"
    assert any("Texte d'Edith." in text_of(node) for node in page.iter("del")), (
        "the stored draft is shown beside it"
    )
    assert versions(db, DRAFT)[0].body == "## Version commune\n\nTexte d'Edith.\n"

    # Having read the other text, a second save goes through on purpose.
    again = {
        field.get("name"): field.get("value") or ""
        for field in page.find(".//form[@id='draft-form']").iter("input")
    }
    again.update(
        body="## Version commune\n\nTexte de Colin, relu.\n", title=second_form["title"], action="save"
    )
    assert second.post(EDIT, data=again).status_code == 302
    assert versions(db, DRAFT)[0].body == "## Version commune\n\nTexte de Colin, relu.\n"


def test_two_people_starting_the_same_draft_do_not_overwrite_each_other(db_app, people, db):
    first = client_of(db_app, people, "editor")
    second = client_of(db_app, people, "colleague")
    first_form, second_form = form_values(first, EDIT), form_values(second, EDIT)
    assert first_form["lock_version"] == ""
    first.post(EDIT, data={**first_form, "body": "## A\n\nPremier.\n", "action": "save"})
    refused = second.post(EDIT, data={**second_form, "body": "## A\n\nSecond.\n", "action": "save"})
    assert refused.status_code == 409 and "Second." in refused.get_data(as_text=True)
    assert [version.body for version in versions(db, DRAFT)] == ["## A\n\nPremier.\n"]


def test_a_text_the_site_would_refuse_is_not_saved_and_stays_in_the_form(db_app, people, db):
    editor = client_of(db_app, people, "editor")
    body = "## Titre\n\n<script>alert(1)</script>\n\n[lien](https://evil.example/x) et [[inconnu]]\n"
    response = save(editor, body=body)
    assert response.status_code == 400
    page = parse(response)
    assert page.find(".//textarea[@name='body']").text.strip() == body.strip()
    problems = text_of(page.find(".//main"))
    assert "evil.example" in problems and "[[inconnu]]" in problems
    assert versions(db, DRAFT) == [] and actions(db) == []
    assert save(editor, title="").status_code == 400 and versions(db, DRAFT) == []


def test_the_editor_refuses_a_link_to_a_route_that_does_not_exist_in_any_locale(db_app, people, db):
    editor = client_of(db_app, people, "editor")
    for target in ("/fr/cotation/consulter", "/ro/cotation/consulter", "/fr/informations/pas-de-page"):
        response = save(editor, body=f"## Titre\n\n[voir]({target})\n")
        assert response.status_code == 400
        assert f"Ce lien ne mène à aucune page du portail : {target}" in text_of(
            parse(response).find(".//main")
        )
    assert versions(db, DRAFT) == []
    assert (
        save(
            editor, body="## Titre\n\n[voir](/ro/ma-demande) et [la grille](/fr/cotation/grille)\n"
        ).status_code
        == 302
    )
    assert len(versions(db, DRAFT)) == 1


def test_the_preview_renders_through_the_sanitiser_and_saves_nothing(db_app, people, db):
    editor = client_of(db_app, people, "editor")
    fragment = editor.post(
        "/partenaires/contenus/apercu",
        data={
            "csrf_token": csrf_token(editor, EDIT),
            "locale": "fr",
            "body": "## Étapes\n\n[clic](javascript:alert(1)) **gras** <img src=x onerror=alert(1)>",
        },
    )
    html = fragment.get_json()["html"]
    assert fragment.status_code == 200 and "<h2" in html and "<strong>gras</strong>" in html
    assert 'href="javascript' not in html and "<img" not in html and "<a " not in html
    assert fragment.get_json()["problems"], "the link the save would refuse is named"
    without_javascript = save(editor, action="preview", body="## Aperçu\n\nTexte **vu** avant.\n")
    assert without_javascript.status_code == 200
    assert "<strong>vu</strong>" in without_javascript.get_data(as_text=True)
    assert versions(db, DRAFT) == []
    assert (
        editor.post("/partenaires/contenus/apercu", data={"locale": "fr", "body": "x"}).status_code == 400
    ), "CSRF"


def test_a_post_without_its_csrf_token_changes_nothing(db_app, people, db):
    editor = client_of(db_app, people, "editor")
    values = form_values(editor, EDIT)
    values.pop("csrf_token")
    assert editor.post(EDIT, data={**values, "body": NEW_BODY, "action": "save"}).status_code == 400
    assert versions(db, DRAFT) == []
    _, draft = submitted_draft(db_app, people, db)
    reviewer = client_of(db_app, people, "reviewer")
    reviewer.post(f"/partenaires/contenus/versions/{draft.id}", data={"action": "publish"})
    assert versions(db, IN_REVIEW)[0].id == draft.id


def test_an_editor_takes_back_and_discards_a_draft(db_app, people, db):
    editor, draft = submitted_draft(db_app, people, db)
    assert save(editor, body="## Autre\n\nTexte.\n").status_code == 409, "in review: not editable"
    act(editor, draft.id, "withdraw")
    assert versions(db, DRAFT)[0].id == draft.id
    act(editor, draft.id, "discard")
    assert versions(db, DRAFT) == [] and versions(db, IN_REVIEW) == []
    assert actions(db)[-2:] == ["content.withdrawn", "content.draft_discarded"]


def test_the_history_lists_every_version_and_an_old_one_is_restored_as_a_draft(db_app, people, db):
    original = versions(db, PUBLISHED)[0]
    _, draft = submitted_draft(db_app, people, db)
    reviewer = client_of(db_app, people, "reviewer")
    act(reviewer, draft.id, "publish")
    editor = client_of(db_app, people, "colleague")
    history = editor.get(f"/partenaires/contenus/{SLUG}/fr/standard/historique").get_data(as_text=True)
    assert f"versions/{original.id}" in history and f"versions/{draft.id}" in history
    response = act(editor, original.id, "restore")
    assert response.status_code == 302 and response.headers["Location"].startswith(EDIT)
    restored = versions(db, DRAFT)[0]
    assert restored.body == original.body and restored.number > draft.number
    assert "content.restored" in actions(db)
    assert versions(db, PUBLISHED)[0].id == draft.id, "restoring publishes nothing by itself"
    assert act(editor, draft.id, "restore").status_code == 302
    assert len(versions(db, DRAFT)) == 1, "one draft per organisation and page"


def test_translations_whose_french_page_changed_are_listed_until_brought_up_to_date(db_app, people, db):
    reviewer = client_of(db_app, people, "reviewer")
    listing = reviewer.get("/partenaires/contenus/traductions").get_data(as_text=True)
    assert f"/partenaires/contenus/{SLUG}/en/standard" not in listing
    _, draft = submitted_draft(db_app, people, db)
    act(reviewer, draft.id, "publish")
    listing = reviewer.get("/partenaires/contenus/traductions").get_data(as_text=True)
    assert f"/partenaires/contenus/{SLUG}/en/standard" in listing
    assert f"/partenaires/contenus/{SLUG}/fr/easy" in listing

    translator = client_of(db_app, people, "other_editor")
    english = f"/partenaires/contenus/{SLUG}/en/standard"
    page = translator.get(english).get_data(as_text=True)
    assert "mot-repere-zebre" in page, "the French changes are shown to the translator"
    save(
        translator,
        url=english,
        action="submit",
        body="## Who may apply\n\nAnyone of age: zebra-mark.\n",
        follows_french="y",
    )
    translation = db.scalar(
        select(PageVersion).where(PageVersion.locale == "en", PageVersion.status == IN_REVIEW)
    )
    assert translation.source_version_id == draft.id
    act(reviewer, translation.id, "publish")
    listing = reviewer.get("/partenaires/contenus/traductions").get_data(as_text=True)
    assert f"/partenaires/contenus/{SLUG}/en/standard" not in listing
    assert "zebra-mark" in db_app.test_client().get(f"/en/informations/{SLUG}").get_data(as_text=True)


def test_unknown_pages_locales_and_variants_are_not_found(db_app, people, db):
    editor = client_of(db_app, people, "editor")
    assert editor.get("/partenaires/contenus/nulle-part/fr/standard").status_code == 404
    assert editor.get(f"/partenaires/contenus/{SLUG}/xx/standard").status_code == 404
    assert editor.get(f"/partenaires/contenus/{SLUG}/en/easy").status_code == 404
    assert editor.get("/partenaires/contenus/versions/999999").status_code == 404
    count = db.scalar(select(func.count()).select_from(PageVersion))
    assert editor.get("/partenaires/contenus/").status_code == 200
    assert db.scalar(select(func.count()).select_from(PageVersion)) == count


def test_reviewers_hear_of_a_submitted_draft_and_its_author_of_the_review(mail_app, inbox, people, db):
    editor = client_of(mail_app, people, "editor")
    save(editor, action="submit", body=NEW_BODY)
    draft = versions(db, IN_REVIEW)[0]
    recipients = sorted(address for addresses, _ in inbox.messages for address in addresses)
    assert recipients == ["redac@metropole.fr", "relecteur@metropole.fr"]
    assert f"/partenaires/contenus/versions/{draft.id}" in inbox.messages[0][1]
    inbox.messages.clear()
    reviewer = client_of(mail_app, people, "reviewer")
    act(reviewer, draft.id, "send_back", comment="Ajoutez l'adresse du guichet.")
    assert [addresses for addresses, _ in inbox.messages] == [["editeur@ville-a.fr"]]
    assert "Ajoutez l'adresse du guichet." in inbox.messages[0][1]
    inbox.messages.clear()
    act(editor, draft.id, "submit")
    inbox.messages.clear()
    act(reviewer, draft.id, "publish")
    assert [addresses for addresses, _ in inbox.messages] == [["editeur@ville-a.fr"]]
    assert versions(db, PUBLISHED)[0].id == draft.id


def test_a_mail_server_down_does_not_undo_the_review(tmp_path, db, people):
    from tests.mailbox import free_port
    from tests.support import build_app

    app = build_app(
        tmp_path, db.connection(), smtp_host="127.0.0.1", smtp_port=free_port(), smtp_starttls=False
    )
    editor = client_of(app, people, "editor")
    response = save(editor, action="submit", body=NEW_BODY)
    assert response.status_code == 302
    assert versions(db, IN_REVIEW)[0].body == NEW_BODY
    assert app.extensions["portal.jobs"].huey.scheduled_count() >= 1, "the e-mail is tried again later"


def test_the_workspace_language_is_chosen_on_the_workflow_pages_too(db_app, people, db):
    editor = client_of(db_app, people, "editor")
    switched = editor.get("/partenaires/contenus/?lang=ar")
    assert switched.status_code == 302 and switched.headers["Location"] == "/partenaires/contenus/"
    page = parse(editor.get("/partenaires/contenus/"))
    assert page.get("lang") == "ar" and page.get("dir") == "rtl"
    links = {link.get("hreflang"): link.get("href") for link in page.iter("a") if link.get("hreflang")}
    assert links.get("fr") == "/partenaires/contenus/?lang=fr", "the language links stay on the page"
