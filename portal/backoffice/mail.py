"""E-mails to partners (invitations, password resets), over SMTP as configured; nothing about them is logged
but their kind, since they carry personal addresses and one-time links."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from portal.config import Settings

log = logging.getLogger(__name__)


class MailError(RuntimeError):
    """The e-mail could not be handed to the SMTP server."""


def send_mail(settings: Settings, to: str, subject: str, body: str, kind: str) -> None:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
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
