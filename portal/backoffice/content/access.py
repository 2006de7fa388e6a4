"""Who does what in the content workflow: editors draft for their organisations, the EPCI's reviewers
read what is submitted and publish it."""

from __future__ import annotations

from flask import abort, request

from portal.information import drafts
from portal.information.models import IN_REVIEW, PageVersion
from portal.partners.models import Organisation, User

EDITORS = ("editor",)  # who drafts: the editors of any organisation
READERS = ("editor", "reviewer")  # who opens the workflow's pages


def editor_organisations(user: User) -> list[Organisation]:
    return user.organisations_where(*EDITORS)


def is_reviewer(user: User) -> bool:
    return user.has_role("reviewer", epci=True)


def may_read(user: User, version: PageVersion) -> bool:
    """A draft is its organisation's; once submitted, the EPCI's reviewers read it too."""
    if version.status not in drafts.OPEN:
        return True
    if version.organisation_id in {organisation.id for organisation in editor_organisations(user)}:
        return True
    return version.status == IN_REVIEW and is_reviewer(user)


def may_change(user: User, draft: PageVersion) -> bool:
    return draft.organisation_id in {organisation.id for organisation in editor_organisations(user)}


def chosen_organisation(user: User) -> Organisation:
    """The organisation a draft is written for: the one asked for, else the person's first (403 if the
    person drafts for none)."""
    organisations = editor_organisations(user)
    if not organisations:
        abort(403)
    wanted = request.values.get("organisation")
    for organisation in organisations:
        if organisation.slug == wanted:
            return organisation
    return organisations[0]
