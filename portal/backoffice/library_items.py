"""News items and network meeting dates of the partners' common space: added, changed and deleted by the
editors and administrators of the owning organisation (the EPCI's: any organisation's), audited. They
are listed with the documents (portal/backoffice/library.py, whose blueprint these routes join)."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal import clock, db
from portal.backoffice.library import EDITING_ROLES, as_utc, bp
from portal.backoffice.library_forms import MeetingForm, NewsForm
from portal.backoffice.permissions import current_user, role_in_organisation
from portal.clock import PARIS
from portal.library.models import NetworkMeeting, NewsItem
from portal.markdown import render_markdown
from portal.partners import accounts

ITEMS = {
    # URL word: (model, form, audit prefix, audit action on creation)
    "actualites": (NewsItem, NewsForm, "news", "news.published"),
    "reunions": (NetworkMeeting, MeetingForm, "meeting", "meeting.added"),
}


def item_snapshot(item) -> dict:
    if isinstance(item, NewsItem):
        return {"title": item.title, "body": item.body, "visibility": item.visibility}
    return {
        "title": item.title,
        "starts_at": as_utc(item.starts_at).astimezone(PARIS).isoformat(timespec="minutes"),
        "place": item.place,
        "description": item.description,
        "visibility": item.visibility,
    }


def _fill_item(item, form) -> None:
    item.title = form.title.data.strip()
    item.visibility = form.visibility.data
    if isinstance(item, NewsItem):
        item.body = form.body.data.strip()
        # Rendered and sanitised once, here: the public page shows it on every view.
        item.body_html = str(render_markdown(item.body))
    else:
        item.starts_at = dt.datetime.combine(form.day.data, form.time.data, PARIS).astimezone(dt.UTC)
        item.place = (form.place.data or "").strip()
        item.description = (form.description.data or "").strip()
    item.updated_at = clock.now().astimezone(dt.UTC)


def _item_form(form_class, item):
    form = form_class(obj=item, formdata=None)
    if isinstance(item, NetworkMeeting):
        local = as_utc(item.starts_at).astimezone(PARIS)
        form.day.data, form.time.data = local.date(), local.time()
    return form


def _item_page(organisation, kind, form, item=None, status=200):
    return render_template(
        "library/item_form.html", organisation=organisation, kind=kind, form=form, item=item
    ), status


@bp.route("/organisations/<slug>/<any(actualites, reunions):kind>/nouveau", methods=["GET", "POST"])
@role_in_organisation(*EDITING_ROLES, epci_sees_all=True)
def new_item(organisation, kind: str):
    model, form_class, _prefix, action = ITEMS[kind]
    form = form_class()
    if request.method == "GET" or not form.validate_on_submit():
        return _item_page(organisation, kind, form, status=200 if request.method == "GET" else 400)
    dbs = db.session()
    item = model(organisation_id=organisation.id, author_id=current_user().id)
    _fill_item(item, form)
    dbs.add(item)
    dbs.flush()
    accounts.audit(dbs, current_user(), organisation.id, action, item.title, after=item_snapshot(item))
    dbs.commit()
    flash(_("%(title)s is saved.", title=item.title))
    return redirect(url_for("library.news"))


def _organisation_item(organisation, kind: str, item_id: int):
    item = db.session().get(ITEMS[kind][0], item_id)
    if item is None or item.organisation_id != organisation.id:
        abort(404)
    return item


@bp.route("/organisations/<slug>/<any(actualites, reunions):kind>/<int:item_id>", methods=["GET", "POST"])
@role_in_organisation(*EDITING_ROLES, epci_sees_all=True)
def edit_item(organisation, kind: str, item_id: int):
    item = _organisation_item(organisation, kind, item_id)
    _model, form_class, prefix, _action = ITEMS[kind]
    if request.method == "GET":
        return _item_page(organisation, kind, _item_form(form_class, item), item)
    form = form_class()
    if not form.validate_on_submit():
        return _item_page(organisation, kind, form, item, status=400)
    dbs = db.session()
    before = item_snapshot(item)
    _fill_item(item, form)
    after = item_snapshot(item)
    changed = [key for key in after if before[key] != after[key]]
    accounts.audit(
        dbs,
        current_user(),
        organisation.id,
        f"{prefix}.updated",
        item.title,
        before={key: before[key] for key in changed},
        after={key: after[key] for key in changed},
    )
    dbs.commit()
    flash(_("%(title)s is saved.", title=item.title))
    return redirect(url_for("library.news"))


@bp.route("/organisations/<slug>/<any(actualites, reunions):kind>/<int:item_id>/supprimer", methods=["POST"])
@role_in_organisation(*EDITING_ROLES, epci_sees_all=True)
def delete_item(organisation, kind: str, item_id: int):
    item = _organisation_item(organisation, kind, item_id)
    prefix = ITEMS[kind][2]
    dbs = db.session()
    accounts.audit(
        dbs, current_user(), organisation.id, f"{prefix}.deleted", item.title, before=item_snapshot(item)
    )
    dbs.delete(item)
    dbs.commit()
    flash(_("%(title)s is deleted.", title=item.title))
    return redirect(url_for("library.news"))
