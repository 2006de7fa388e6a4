"""E-mails over SMTP as configured. They are sent by the job queue after the change they tell about is
committed, and retried with growing delays while the mail server is away; nothing about them is logged
but their kind, since they carry personal addresses and one-time links."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app
from sqlalchemy.orm import Session

from portal.config import Settings
from portal.jobs import after_commit, job

log = logging.getLogger(__name__)


class MailError(RuntimeError):
    """The e-mail could not be handed to the SMTP server."""


def send_mail(
    settings: Settings, to: str, subject: str, body: str, kind: str, headers: dict | None = None
) -> None:
    """Hand one e-mail to the SMTP server now (MailError when it cannot be); `headers` adds some (the
    one-click unsubscription of RFC 8058, say)."""
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    if not settings.smtp_host:
        log.warning("%s e-mail not sent: PORTAL_SMTP_HOST is empty", kind)
        return
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password)
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        log.error("%s e-mail not sent: %s", kind, exc.__class__.__name__)
        raise MailError(kind) from exc
    log.info("%s e-mail sent", kind)


@job(retries=8, retry_delay=30, retry_backoff=2.0, priority=10)
def deliver(to: str, subject: str, body: str, kind: str, headers: dict | None = None) -> None:
    """The job: one e-mail, retried for about two hours (30 s, 1 min, 2 min… 64 min) if the server fails."""
    send_mail(current_app.config["PORTAL_SETTINGS"], to, subject, body, kind, headers)


def queue_mail(
    session: Session, to: str, subject: str, body: str, kind: str, headers: dict | None = None
) -> None:
    """Send the e-mail once `session` commits (never for a change that is rolled back)."""
    after_commit(session, deliver, to, subject, body, kind, headers)
