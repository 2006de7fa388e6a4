"""The partners' pages of the content workflow (/partenaires/contenus/): the list of pages, the editor with
its preview, the drafts, the review with its side-by-side comparison, the history and the translations that
lag behind their French page. The rules of the workflow are in portal.information.workflow."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select

from portal import db
from portal.backoffice.content.access import (
    EDITORS,
    READERS,
    chosen_organisation,
    editor_organisations,
    is_reviewer,
    may_change,
    may_read,
)
from portal.backoffice.content.forms import DraftForm, OrganisationChoice, ReviewForm
from portal.backoffice.content.notifications import notify
from portal.backoffice.permissions import any_organisation_role, current_user
from portal.content import fill_tokens, territory_tokens
from portal.guides.jobs import prerender_all
from portal.i18n import locales
from portal.information import diff, drafts, workflow
from portal.information.loader import published_version
from portal.information.models import (
    DRAFT,
    EASY,
    IN_REVIEW,
    SOURCE_LOCALE,
    STANDARD,
    VARIANTS,
    Page,
    PageVersion,
)
from portal.information.services import published as published_content
from portal.information.services import render_body
from portal.jobs import after_commit
from portal.partners.models import Organisation, User
from portal.territory.services import current_territory

# --- finding ------------------------------------------------------------------------------------


def _page_or_404(slug: str, locale: str, variant: str) -> Page:
    if locale not in locales() or variant not in VARIANTS or (variant == EASY and locale != SOURCE_LOCALE):
        abort(404)
    page = drafts.page_by_slug(db.session(), slug)
    if page is None:
        abort(404)
    return page


def _version_or_404(version_id: int) -> PageVersion:
    version = db.session().get(PageVersion, version_id)
    if version is None:
        abort(404)
    if not may_read(current_user(), version):
        abort(403)
    return version


def _settings():
    territory = current_territory()
    return tuple(locales()), set(territory.link_hosts), territory_tokens(territory)


def preview_of(body: str, locale: str) -> Markup:
    """The body as the public page will show it: the same Markdown rendering and sanitiser."""
    codes, _hosts, tokens = _settings()
    return render_body(body, locale, tokens, codes)


def title_of(page: Page) -> str:
    """The page's published French title, from the copy of the published content every worker keeps."""
    french = published_content(db.session()).texts.get((page.slug, SOURCE_LOCALE, STANDARD))
    return fill_tokens(french.title, _settings()[2]) if french else page.slug


# --- pages --------------------------------------------------------------------------------------


@any_organisation_role(*READERS)
def index():
    """Every page with its state in the chosen locale, the drafts of the person's organisations and, for
    reviewers, what waits for review."""
    user = current_user()
    dbs = db.session()
    locale = request.args.get("locale", SOURCE_LOCALE)
    if locale not in locales():
        locale = SOURCE_LOCALE
    mine = {organisation.id for organisation in editor_organisations(user)}
    own_drafts = drafts.drafts_of(dbs, mine)
    open_by_key = {(d.page_id, d.locale, d.variant): d for d in own_drafts}
    lagging = {
        (item.page.id, item.locale, item.variant) for item in drafts.lagging_translations(dbs, (locale,))
    }
    rows = []
    texts = published_content(dbs).texts
    for page in dbs.scalars(select(Page).order_by(Page.section_slug, Page.position)):
        for variant in (STANDARD, EASY) if locale == SOURCE_LOCALE else (STANDARD,):
            published = texts.get((page.slug, locale, variant))  # the kept copy: no query per page
            if variant == EASY and published is None:
                continue
            rows.append(
                {
                    "page": page,
                    "title": title_of(page),
                    "variant": variant,
                    "published": published,
                    "draft": open_by_key.get((page.id, locale, variant)),
                    "lagging": (page.id, locale, variant) in lagging,
                }
            )
    return render_template(
        "backoffice/content_index.html",
        rows=rows,
        locale=locale,
        drafts=own_drafts,
        review=drafts.waiting_for_review(dbs) if is_reviewer(user) else [],
        drafts_for=bool(mine),
        title_of=title_of,
        locales_info=locales(),
    )


@any_organisation_role(*EDITORS)
def edit(slug: str, locale: str, variant: str):
    """The organisation's draft of the page: started from the published text on first save, previewed,
    saved, submitted."""
    page = _page_or_404(slug, locale, variant)
    user = current_user()
    organisation = chosen_organisation(user)
    dbs = db.session()
    draft = drafts.open_draft(dbs, page, locale, variant, organisation.id)
    if request.method == "GET":
        origin = draft or published_version(dbs, page, locale, variant) or drafts.french_source(dbs, page)
        form = DraftForm(formdata=None, obj=origin)
        form.lock_version.data = str(draft.lock_version) if draft else ""
        form.follows_french.data = draft is None and published_version(dbs, page, locale, variant) is None
        return _edit_page(page, locale, variant, organisation, draft, form)
    form = DraftForm()
    action = request.form.get("action", "save")
    if not form.validate_on_submit():
        return _edit_page(page, locale, variant, organisation, draft, form, status=400)
    codes, hosts, _tokens = _settings()
    problems = drafts.body_problems(dbs, form.body.data, codes, hosts)
    if problems:
        form.body.errors = [*form.body.errors, *problems]
        return _edit_page(page, locale, variant, organisation, draft, form, status=400)
    if action == "preview":
        return _edit_page(page, locale, variant, organisation, draft, form, preview=True)
    texts = workflow.Texts(
        form.title.data.strip(),
        (form.summary.data or "").replace("\r\n", "\n").strip(),
        form.body.data.replace("\r\n", "\n").strip() + "\n",  # browsers send a textarea's lines with CRLF
    )
    try:
        lock = int(form.lock_version.data) if form.lock_version.data else None
    except ValueError:
        lock = -1
    try:
        if draft is None:
            if lock is not None:  # the draft this copy was made from was published or discarded meanwhile
                raise workflow.Conflict(None)
            draft = workflow.start_draft(dbs, page, locale, variant, organisation, user)
            lock = draft.lock_version
        elif lock is None:  # someone of the organisation started a draft while this person was typing
            raise workflow.Conflict(draft)
        workflow.save_draft(dbs, draft, user, texts, lock, follows_current_french=form.follows_french.data)
        if action == "submit":
            workflow.submit(dbs, draft, user)
    except workflow.Conflict as conflict:
        dbs.rollback()
        return _conflict_page(page, locale, variant, organisation, conflict.current, form, texts)
    except workflow.WorkflowError as error:
        dbs.rollback()
        flash(str(error), "error")
        return _edit_page(page, locale, variant, organisation, draft, form, status=409)
    dbs.commit()
    flash(_("The draft is sent for review.") if action == "submit" else _("The draft is saved."))
    if action == "submit":
        notify(draft, "submit", user, title_of(draft.page))
    return redirect(url_for("content.draft", version_id=draft.id))


def _edit_page(page, locale, variant, organisation, draft, form, status=200, preview=False, conflict=None):
    dbs = db.session()
    published = published_version(dbs, page, locale, variant)
    french = drafts.french_source(dbs, page)
    source = dbs.get(PageVersion, draft.source_version_id) if draft and draft.source_version_id else None
    lagging = (
        drafts.follows_french(locale, variant)
        and french is not None
        and (
            (draft is not None and draft.source_version_id != french.id)
            or (draft is None and published is not None and published.source_version_id != french.id)
        )
    )
    choice = OrganisationChoice(formdata=None, organisation=organisation.slug)
    choice.organisation.choices = [(o.slug, o.name) for o in editor_organisations(current_user())]
    response = render_template(
        "backoffice/content_edit.html",
        page=page,
        title=title_of(page),
        locale=locale,
        variant=variant,
        organisation=organisation,
        draft=draft,
        published=published,
        french=french,
        source=source,
        lagging=lagging,
        french_changes=diff.compare(
            workflow.texts_of(source or (published and published.source_version)), workflow.texts_of(french)
        )
        if lagging
        else {},
        form=form,
        choice=choice,
        preview=preview_of(form.body.data or "", locale) if (preview or conflict is not None) else None,
        conflict=conflict,
        direction=locales()[locale].direction,
    )
    return response, status


def _conflict_page(page, locale, variant, organisation, current, form, texts):
    """The save is refused: the person's text stays in the form, the stored draft is shown beside it,
    and the form now carries the stored draft's counter so a deliberate second save goes through."""
    dbs = db.session()
    current = drafts.open_draft(dbs, page, locale, variant, organisation.id)
    form.lock_version.data = str(current.lock_version) if current else ""
    changes = diff.compare(workflow.texts_of(current), texts)
    return _edit_page(page, locale, variant, organisation, current, form, status=409, conflict=changes)


@any_organisation_role(*EDITORS)
def preview():
    """The live preview of the editor: the body rendered as the public page will show it (JSON holding the
    HTML fragment and the problems the save would refuse)."""
    locale = request.form.get("locale", SOURCE_LOCALE)
    if locale not in locales():
        abort(400)
    body = request.form.get("body", "")[:60000]
    codes, hosts, _tokens = _settings()
    problems = drafts.body_problems(db.session(), body, codes, hosts)
    html = render_template(
        "backoffice/content_preview.html", preview=preview_of(body, locale), problems=problems
    )
    return jsonify(html=html, problems=problems)


@any_organisation_role(*READERS)
def draft(version_id: int):
    """One version: a draft with what its organisation may do with it, or an older version to restore."""
    version = _version_or_404(version_id)
    user = current_user()
    dbs = db.session()
    if request.method == "POST":
        return _act_on(version, user, request.form.get("action", ""))
    published = published_version(dbs, version.page, version.locale, version.variant)
    base = version.base_version
    return render_template(
        "backoffice/content_version.html",
        version=version,
        title=title_of(version.page),
        published=published,
        changes=diff.compare(workflow.texts_of(published), workflow.texts_of(version))
        if published is not None and published.id != version.id
        else {},
        moved_on=base is not None and published is not None and base.id != published.id,
        preview=preview_of(version.body, version.locale),
        may_change=version.status in drafts.OPEN and may_change(user, version),
        may_review=version.status == IN_REVIEW and is_reviewer(user),
        may_restore=version.status not in drafts.OPEN and bool(editor_organisations(user)),
        review_form=ReviewForm(formdata=None),
        direction=locales()[version.locale].direction,
        owner=dbs.get(Organisation, version.organisation_id) if version.organisation_id else None,
        DRAFT=DRAFT,
    )


def _act_on(version: PageVersion, user: User, action: str):
    """Submit, take back, discard, restore, publish or send back; anything else is refused."""
    dbs = db.session()
    target = url_for("content.draft", version_id=version.id)
    form = ReviewForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        if action in ("submit", "withdraw", "discard"):
            if not may_change(user, version):
                abort(403)
            getattr(workflow, action)(dbs, version, user)
            message = {
                "submit": _("The draft is sent for review."),
                "withdraw": _("The draft is back with your organisation: you may change it."),
                "discard": _("The draft is discarded."),
            }[action]
            if action == "discard":
                target = url_for("content.index", locale=version.locale)
        elif action == "restore":
            organisation = chosen_organisation(user)
            workflow.restore(dbs, version, organisation, user)
            message = _(
                "A draft is made from version %(number)s: check it, then submit it.", number=version.number
            )
            target = url_for(
                "content.edit",
                slug=version.page.slug,
                locale=version.locale,
                variant=version.variant,
                organisation=organisation.slug,
            )
        elif action in ("publish", "send_back"):
            if not is_reviewer(user):
                abort(403)
            if action == "publish":
                codes, _hosts, tokens = _settings()
                workflow.publish(dbs, version, user, codes, tokens)
                after_commit(dbs, prerender_all)  # the guides print the new text
                message = _("The version is published: the public page shows it now.")
            else:
                workflow.send_back(dbs, version, user, form.comment.data or "")
                message = _("The draft is sent back to its organisation with your comment.")
        else:
            abort(400)
    except workflow.WorkflowError as error:
        dbs.rollback()
        flash(str(error), "error")
        return redirect(url_for("content.draft", version_id=version.id))
    dbs.commit()
    flash(message)
    if action in ("submit", "publish", "send_back"):
        notify(version, action, user, title_of(version.page))
    return redirect(target)


@any_organisation_role(*READERS)
def page_history(slug: str, locale: str, variant: str):
    page = _page_or_404(slug, locale, variant)
    user = current_user()
    mine = {organisation.id for organisation in editor_organisations(user)}
    return render_template(
        "backoffice/content_history.html",
        page=page,
        title=title_of(page),
        locale=locale,
        variant=variant,
        versions=drafts.history(db.session(), page, locale, variant, mine),
    )


@any_organisation_role(*READERS)
def translations():
    """Texts to translate again because their French page changed, then pages not translated yet."""
    items = drafts.lagging_translations(db.session(), tuple(locales()))
    return render_template(
        "backoffice/content_translations.html",
        lagging=[item for item in items if item.version is not None],
        missing=[item for item in items if item.version is None],
        title_of=title_of,
    )


def content_status(status: str) -> str:
    return {
        "draft": _("Draft"),
        "in_review": _("Waiting for review"),
        "published": _("Published"),
        "archived": _("Archived"),
    }.get(status, status)


def locale_name(code: str) -> str:
    info = locales().get(code)
    return info.autonym if info else code
