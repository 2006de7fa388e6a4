"""E-mails of the content workflow: the reviewers told that a draft waits for them, its author told what
the review decided."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _

from portal import db
from portal.information import drafts
from portal.information.models import PageVersion
from portal.jobs import submit
from portal.mail import deliver
from portal.partners.models import Organisation, User
from portal.urls import public_url_for


def notify(version: PageVersion, action: str, user: User, title: str) -> None:
    """Tell the reviewers that a draft waits for them, or its author what the review decided: queued
    after the change is committed (a mail server down delays the news, not the work)."""
    dbs = db.session()
    link = public_url_for("content.draft", version_id=version.id)
    if action == "submit":
        template, subject = "backoffice/mail_content_submitted.txt", _("A page draft waits for your review")
        recipients = drafts.reviewers(dbs)
    else:
        template = "backoffice/mail_content_reviewed.txt"
        subject = (
            _("Your page draft is published") if action == "publish" else _("Your page draft is sent back")
        )
        recipients = [dbs.get(User, version.author_id)] if version.author_id else []
    organisation = dbs.get(Organisation, version.organisation_id) if version.organisation_id else None
    for person in recipients:
        if person is None or not person.active or person.id == user.id:
            continue
        body = render_template(
            template,
            user=person,
            version=version,
            organisation=organisation,
            title=title,
            link=link,
            published=action == "publish",
            reviewer=user,
        )
        submit(deliver, person.email, subject, body, f"content {action}")
