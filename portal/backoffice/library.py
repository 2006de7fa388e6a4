"""The network's common space: partners share documents, post news items and network meeting dates; what
they mark public also appears on the public site (`/<lang>/reseau`).

Storage layout and limits
- Files live in `<instance_dir>/documents/` (PORTAL_INSTANCE_DIR), never under `static/`: each under a
  random name of 32 hex digits with no extension (`documents/3f9c…e1`), written aside then renamed, so a
  file is whole or absent. The database row (`shared_document`) keeps the name the uploader gave (made safe
  by library_files.display_name, shown and offered as the download name only), the type it is served with,
  its size and its SHA-256. Deleting a document deletes its file after the row is gone.
- Accepted: PDF, OpenDocument (odt, ods, odp), OOXML (docx, xlsx, pptx), legacy Office (doc, xls, ppt),
  CSV and text, checked by extension *and* by the file's first bytes (library_files.check_upload).
- Size: PORTAL_DOCUMENT_MAX_MB (10 by default) per file, checked here; the request as a whole is capped
  one megabyte above it (MAX_CONTENT_LENGTH), and a request over that cap gets the upload form back with
  the limit stated, not a bare error page.
- Downloads carry the stored type, `X-Content-Type-Options: nosniff` and `Content-Disposition: attachment`
  with an ASCII name and the real one (RFC 5987 `filename*`). Partners' documents are never cached by
  shared caches; a partners-only document, news item or meeting is a 404 on the public site.

Rules: any signed-in partner reads; the editors and administrators of the owning organisation (of the EPCI:
every organisation) add, change and delete, each change audited in its own transaction.
"""

from __future__ import annotations

import datetime as dt

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import format_date, format_time, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import SelectChoice

from portal import clock, db
from portal.backoffice.library_forms import (
    DocumentFilterForm,
    DocumentForm,
    UploadForm,
    parse_tags,
)
from portal.backoffice.permissions import current_user, role_in_organisation, signed_in
from portal.clock import PARIS
from portal.errors import render_error
from portal.library import files as library_files
from portal.library.models import DocumentTag, NetworkMeeting, NewsItem, SharedDocument
from portal.partners import accounts
from portal.partners.accounts import AUDIT_LABELS
from portal.partners.models import Organisation, User

AUDIT_LABELS.update(
    {
        "document.uploaded": _l("Document shared"),
        "document.updated": _l("Document changed"),
        "document.deleted": _l("Document deleted"),
        "news.published": _l("News item published"),
        "news.updated": _l("News item changed"),
        "news.deleted": _l("News item deleted"),
        "meeting.added": _l("Network meeting added"),
        "meeting.updated": _l("Network meeting changed"),
        "meeting.deleted": _l("Network meeting deleted"),
    }
)

EDITING_ROLES = ("editor", "admin")
LIST_LIMIT = 500  # documents listed at once; the filters narrow it

bp = Blueprint("library", __name__, url_prefix="/partenaires/documents", template_folder="templates")
public_bp = Blueprint(
    "library_public", __name__, url_prefix="/<locale:lang_code>/reseau", template_folder="templates"
)


# ---- reading -------------------------------------------------------------------------------------------


def documents_folder():
    return current_app.config["PORTAL_SETTINGS"].instance_dir / "documents"


def max_bytes() -> int:
    return current_app.config["PORTAL_SETTINGS"].document_max_mb * 1024 * 1024


def as_utc(moment: dt.datetime) -> dt.datetime:
    """SQLite gives back naive datetimes: they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def can_edit(user: User | None, organisation_id: int) -> bool:
    """Editors and administrators of the owning organisation, or of the EPCI."""
    return user is not None and any(
        m.role in EDITING_ROLES and (m.organisation_id == organisation_id or m.organisation.kind == "epci")
        for m in user.memberships
    )


def editable_organisations(user: User) -> list[Organisation]:
    """Where the person may add items: the organisations they edit for."""
    found = {m.organisation.id: m.organisation for m in user.memberships if m.role in EDITING_ROLES}
    return sorted(found.values(), key=lambda organisation: organisation.name)


def file_label(document: SharedDocument) -> str:
    """What a reader is told before downloading: "PDF, 240 kB"."""
    kind = library_files.KINDS.get(library_files.extension_of(document.file_name))
    label = kind.label if kind else library_files.extension_of(document.file_name).upper()
    return f"{label}, {library_files.size_label(document.size, str(get_locale()))}"


def upcoming_meetings(public_only: bool) -> list[NetworkMeeting]:
    query = select(NetworkMeeting).where(NetworkMeeting.starts_at >= clock.now().astimezone(dt.UTC))
    if public_only:
        query = query.where(NetworkMeeting.visibility == "public")
    return list(db.session().scalars(query.order_by(NetworkMeeting.starts_at)))


def latest_news(public_only: bool, limit: int = 20) -> list[NewsItem]:
    query = select(NewsItem).order_by(NewsItem.published_at.desc(), NewsItem.id.desc()).limit(limit)
    if public_only:
        query = query.where(NewsItem.visibility == "public")
    return list(db.session().scalars(query))


def file_response(document: SharedDocument, public: bool):
    """The document's file with its stored type, as an attachment; no path comes from the request."""
    path = library_files.path_of(documents_folder(), document.stored_name)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=document.content_type, conditional=True, etag=document.sha256)
    response.headers["Content-Type"] = document.content_type  # as stored (send_file would add a charset)
    response.headers["Content-Disposition"] = library_files.content_disposition(document.file_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Visibility can change: a public copy is checked again each time, a partners' one never kept.
    response.headers["Cache-Control"] = "no-cache" if public else "private, no-store"
    return response


@bp.route("/")
@signed_in
def index():
    """Every document, newest first, with a filter by tag and a search in titles."""
    form = DocumentFilterForm(request.args)
    dbs = db.session()
    tags = dbs.scalars(select(DocumentTag.name).distinct().order_by(DocumentTag.name))
    form.tag.choices = [SelectChoice("", _("All"))] + [SelectChoice(tag, tag) for tag in tags]
    query = select(SharedDocument).order_by(SharedDocument.created_at.desc(), SharedDocument.id.desc())
    status = 200
    if form.validate():
        if form.tag.data:
            query = query.where(SharedDocument.tags.any(DocumentTag.name == form.tag.data))
        if form.q.data and form.q.data.strip():
            words = form.q.data.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            query = query.where(SharedDocument.title.ilike(f"%{words}%", escape="\\"))
    else:
        status = 400
    user = current_user()
    documents = list(dbs.scalars(query.limit(LIST_LIMIT))) if status == 200 else []
    return render_template(
        "library/documents.html",
        form=form,
        documents=documents,
        editable=editable_organisations(user),
        can_edit=lambda item: can_edit(user, item.organisation_id),
    ), status


@bp.route("/<int:document_id>/fichier")
@signed_in
def download(document_id: int):
    document = db.session().get(SharedDocument, document_id)
    if document is None:
        abort(404)
    return file_response(document, public=False)


@bp.route("/actualites")
@signed_in
def news():
    """The network's news items and its coming meetings, partners' and public alike."""
    user = current_user()
    return render_template(
        "library/news.html",
        news=latest_news(public_only=False, limit=50),
        meetings=upcoming_meetings(public_only=False),
        editable=editable_organisations(user),
        can_edit=lambda item: can_edit(user, item.organisation_id),
    )


# ---- documents -----------------------------------------------------------------------------------------


def document_snapshot(document: SharedDocument) -> dict:
    return {
        "title": document.title,
        "description": document.description,
        "tags": document.tag_names,
        "visibility": document.visibility,
        "file_name": document.file_name,
        "size": document.size,
        "sha256": document.sha256,
    }


def _organisation_document(organisation: Organisation, document_id: int) -> SharedDocument:
    """A document of that organisation, or 404 (another organisation's is not found through this one)."""
    document = db.session().get(SharedDocument, document_id)
    if document is None or document.organisation_id != organisation.id:
        abort(404)
    return document


def _upload_page(organisation, form, status=200):
    form.file.hint = _(
        "PDF, OpenDocument, Microsoft Office, CSV or text; %(size)s MB at most.",
        size=current_app.config["PORTAL_SETTINGS"].document_max_mb,
    )
    return render_template("library/document_form.html", organisation=organisation, form=form), status


@bp.route("/organisations/<slug>/nouveau", methods=["GET", "POST"])
@role_in_organisation(*EDITING_ROLES, epci_sees_all=True)
def new_document(organisation):
    form = UploadForm()
    if request.method == "GET":
        return _upload_page(organisation, form)
    valid = form.validate_on_submit()
    upload = form.file.data
    data = upload.read(max_bytes() + 1) if upload else b""
    name = library_files.display_name(upload.filename if upload else "")
    try:
        if upload is None or not upload.filename:
            raise library_files.Refused(_("Choose the file to share"))
        kind = library_files.check_upload(name, data, max_bytes())
    except library_files.Refused as refused:
        form.file.errors = [*form.file.errors, str(refused)]
        valid = False
    if not valid:
        return _upload_page(organisation, form, status=400)
    folder = documents_folder()
    stored_name, digest = library_files.store(folder, data)
    dbs = db.session()
    try:
        document = SharedDocument(
            organisation_id=organisation.id,
            uploaded_by_id=current_user().id,
            title=form.title.data.strip(),
            description=(form.description.data or "").strip(),
            visibility=form.visibility.data,
            file_name=name,
            stored_name=stored_name,
            content_type=library_files.content_type_of(kind, data),
            size=len(data),
            sha256=digest,
            tags=[DocumentTag(name=tag) for tag in parse_tags(form.tags.data)],
        )
        dbs.add(document)
        dbs.flush()
        accounts.audit(
            dbs,
            current_user(),
            organisation.id,
            "document.uploaded",
            document.title,
            after=document_snapshot(document),
        )
        dbs.commit()
    except Exception:
        dbs.rollback()
        library_files.remove(folder, stored_name)  # no file without its row
        raise
    flash(_("The document %(title)s is shared.", title=document.title))
    return redirect(url_for("library.index"))


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error):
    """A request over the cap: the upload form again, saying the limit (nothing was read or kept)."""
    user = current_user()
    slug = (request.view_args or {}).get("slug")
    organisation = (
        db.session().scalar(select(Organisation).where(Organisation.slug == slug)) if slug else None
    )
    if (
        request.endpoint != "library.new_document"
        or organisation is None
        or not can_edit(user, organisation.id)
    ):
        return render_error(413)
    form = UploadForm(formdata=None)
    form.file.errors = [
        _("The file is larger than %(size)s MB.", size=current_app.config["PORTAL_SETTINGS"].document_max_mb)
    ]
    return _upload_page(organisation, form, status=413)


@bp.route("/organisations/<slug>/<int:document_id>", methods=["GET", "POST"])
@role_in_organisation(*EDITING_ROLES, epci_sees_all=True)
def edit_document(organisation, document_id: int):
    """Title, description, tags and visibility; the file stays (delete and share again to replace it)."""
    document = _organisation_document(organisation, document_id)
    if request.method == "GET":
        form = DocumentForm(obj=document, formdata=None)
        form.tags.data = ", ".join(document.tag_names)
        return render_template(
            "library/document_edit.html", organisation=organisation, document=document, form=form
        )
    form = DocumentForm()
    if not form.validate_on_submit():
        return render_template(
            "library/document_edit.html", organisation=organisation, document=document, form=form
        ), 400
    dbs = db.session()
    before = document_snapshot(document)
    document.title = form.title.data.strip()
    document.description = (form.description.data or "").strip()
    document.visibility = form.visibility.data
    wanted = parse_tags(form.tags.data)
    document.tags = [tag for tag in document.tags if tag.name in wanted] + [
        DocumentTag(name=name) for name in wanted if name not in document.tag_names
    ]
    document.updated_at = clock.now().astimezone(dt.UTC)
    dbs.flush()
    dbs.refresh(document, ["tags"])
    after = document_snapshot(document)
    changed = [key for key in after if before[key] != after[key]]
    accounts.audit(
        dbs,
        current_user(),
        organisation.id,
        "document.updated",
        document.title,
        before={key: before[key] for key in changed},
        after={key: after[key] for key in changed},
    )
    dbs.commit()
    flash(_("The document %(title)s is saved.", title=document.title))
    return redirect(url_for("library.index"))


@bp.route("/organisations/<slug>/<int:document_id>/supprimer", methods=["POST"])
@role_in_organisation(*EDITING_ROLES, epci_sees_all=True)
def delete_document(organisation, document_id: int):
    document = _organisation_document(organisation, document_id)
    dbs = db.session()
    stored_name, title = document.stored_name, document.title
    accounts.audit(
        dbs, current_user(), organisation.id, "document.deleted", title, before=document_snapshot(document)
    )
    dbs.delete(document)
    dbs.commit()
    library_files.remove(documents_folder(), stored_name)  # after the row: never a row without its file
    flash(_("The document %(title)s is deleted.", title=title))
    return redirect(url_for("library.index"))


# ---- the public site -----------------------------------------------------------------------------------


@public_bp.route("/")
def public_index():
    """What the partners made public: documents (type and size said), news items, coming meetings."""
    documents = db.session().scalars(
        select(SharedDocument)
        .where(SharedDocument.visibility == "public")
        .order_by(SharedDocument.created_at.desc(), SharedDocument.id.desc())
        .limit(LIST_LIMIT)
    )
    return render_template(
        "library/public.html",
        documents=list(documents),
        news=latest_news(public_only=True),
        meetings=upcoming_meetings(public_only=True),
    )


@public_bp.route("/documents/<int:document_id>")
def public_download(document_id: int):
    document = db.session().get(SharedDocument, document_id)
    if document is None or document.visibility != "public":
        abort(404)
    return file_response(document, public=True)


def meeting_time(moment: dt.datetime) -> str:
    """ "jeudi 24 décembre 2026, 14:30": the day in full and the time in Paris."""
    local = as_utc(moment).astimezone(PARIS)
    return f"{format_date(local.date(), 'full')}, {format_time(local.time(), 'short')}"


def template_helpers() -> dict:
    return {
        "meeting_time": meeting_time,
        "paris_date": lambda moment: as_utc(moment).astimezone(PARIS).date(),
        "file_label": file_label,
    }


bp.context_processor(template_helpers)
public_bp.context_processor(template_helpers)


def init_app(app: Flask) -> None:
    from portal.backoffice import library_items  # noqa: F401  (its routes, on this module's blueprint)

    app.register_blueprint(bp)
    app.register_blueprint(public_bp)
