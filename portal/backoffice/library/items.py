"""News items and network meeting dates of the partners' common space: added, changed and deleted by the
editors and administrators of the owning organisation (the EPCI's: any organisation's), audited by the
library area's operations. They are listed with the documents."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal import db
from portal.backoffice.library.forms import MeetingForm, NewsForm
from portal.backoffice.permissions import current_user, role_in_organisation
from portal.clock import PARIS
from portal.library import operations
from portal.library.models import NetworkMeeting, NewsItem
from portal.library.services import EDITING_ROLES, as_utc

ITEMS = {
    # URL word: (model, form, kind for the operations)
    "actualites": (NewsItem, NewsForm, "news"),
    "reunions": (NetworkMeeting, MeetingForm, "meeting"),
}


def values_of(form) -> dict:
    values = {"title": form.title.data.strip(), "visibility": form.visibility.data}
    if isinstance(form, NewsForm):
        values["body"] = form.body.data.strip()
    else:
        values.update(
            day=form.day.data,
            time=form.time.data,
            place=(form.place.data or "").strip(),
            description=(form.description.data or "").strip(),
        )
    return values


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


@role_in_organisation(*EDITING_ROLES, epci_sees_all=True)
def new_item(organisation, kind: str):
    _model, form_class, item_kind = ITEMS[kind]
    form = form_class()
    if request.method == "GET" or not form.validate_on_submit():
        return _item_page(organisation, kind, form, status=200 if request.method == "GET" else 400)
    item = operations.add_item(db.session(), item_kind, organisation, current_user(), values_of(form))
    flash(_("%(title)s is saved.", title=item.title))
    return redirect(url_for("library.news"))


def _organisation_item(organisation, kind: str, item_id: int):
    item = db.session().get(ITEMS[kind][0], item_id)
    if item is None or item.organisation_id != organisation.id:
        abort(404)
    return item


@role_in_organisation(*EDITING_ROLES, epci_sees_all=True)
def edit_item(organisation, kind: str, item_id: int):
    item = _organisation_item(organisation, kind, item_id)
    _model, form_class, item_kind = ITEMS[kind]
    if request.method == "GET":
        return _item_page(organisation, kind, _item_form(form_class, item), item)
    form = form_class()
    if not form.validate_on_submit():
        return _item_page(organisation, kind, form, item, status=400)
    operations.update_item(db.session(), item_kind, item, current_user(), values_of(form))
    flash(_("%(title)s is saved.", title=item.title))
    return redirect(url_for("library.news"))


@role_in_organisation(*EDITING_ROLES, epci_sees_all=True)
def delete_item(organisation, kind: str, item_id: int):
    item = _organisation_item(organisation, kind, item_id)
    title = item.title
    operations.delete_item(db.session(), ITEMS[kind][2], item, current_user())
    flash(_("%(title)s is deleted.", title=title))
    return redirect(url_for("library.news"))
