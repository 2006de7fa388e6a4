"""The partners' pages of the network's common space: documents shared, listed and downloaded. The rules
and the storage are the library area's (portal/library/); what partners mark public also appears on the
public site (`/<lang>/reseau`, portal/library/views.py).

Storage layout and limits
- Files live in `<instance_dir>/documents/` (PORTAL_INSTANCE_DIR), never under `static/`: each under a
  random name of 32 hex digits with no extension (`documents/3f9c…e1`), written aside then renamed, so a
  file is whole or absent. The database row (`shared_document`) keeps the name the uploader gave (made
  safe by portal.library.files.display_name, shown and offered as the download name only), the type it is
  served with, its size and its SHA-256. Deleting a document deletes its file after the row is gone.
- Accepted: PDF, OpenDocument (odt, ods, odp), OOXML (docx, xlsx, pptx), legacy Office (doc, xls, ppt),
  CSV and text, checked by extension *and* by the file's first bytes (portal.library.files.check_upload).
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

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from wtforms import SelectChoice

from portal import db
from portal.backoffice.library.forms import DocumentFilterForm, DocumentForm, UploadForm, parse_tags
from portal.backoffice.permissions import current_user, role_in_organisation, signed_in
from portal.errors import render_error
from portal.library import files as library_files
from portal.library import operations
from portal.library.models import DocumentTag, SharedDocument
from portal.library.services import (
    EDITING_ROLES,
    LIST_LIMIT,
    can_edit,
    editable_organisations,
    file_response,
    latest_news,
    max_bytes,
    upcoming_meetings,
)
from portal.partners.models import Organisation


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


@signed_in
def download(document_id: int):
    document = db.session().get(SharedDocument, document_id)
    if document is None:
        abort(404)
    return file_response(document, public=False)


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
    fields = operations.DocumentFields(
        form.title.data.strip(),
        (form.description.data or "").strip(),
        form.visibility.data,
        parse_tags(form.tags.data),
    )
    document = operations.share_document(db.session(), organisation, current_user(), fields, name, data, kind)
    flash(_("The document %(title)s is shared.", title=document.title))
    return redirect(url_for("library.index"))


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
    fields = operations.DocumentFields(
        form.title.data.strip(),
        (form.description.data or "").strip(),
        form.visibility.data,
        parse_tags(form.tags.data),
    )
    operations.update_document(db.session(), document, current_user(), fields)
    flash(_("The document %(title)s is saved.", title=document.title))
    return redirect(url_for("library.index"))


@role_in_organisation(*EDITING_ROLES, epci_sees_all=True)
def delete_document(organisation, document_id: int):
    document = _organisation_document(organisation, document_id)
    title = document.title
    operations.delete_document(db.session(), document, current_user())
    flash(_("The document %(title)s is deleted.", title=title))
    return redirect(url_for("library.index"))
