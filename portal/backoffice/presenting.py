"""What the workspace's features share: the workspace's language, the labels of roles and organisation
kinds, dates in Paris time, spreadsheet-safe cells."""

from __future__ import annotations

import datetime as dt

from flask import redirect, request, session
from flask_babel import format_datetime
from flask_babel import gettext as _

from portal.clock import PARIS
from portal.i18n import locales


def switch_language():
    """`?lang=xx` on any page under /partenaires/ (every blueprint of the workspace): the workspace's
    language for this session (French by default)."""
    code = request.args.get("lang")
    if code is not None and request.path.startswith("/partenaires/"):
        if code in locales():
            session["partner_locale"] = code
        return redirect(request.path)
    return None


def role_label(role: str) -> str:
    return {
        "admin": _("Administrator"),
        "editor": _("Editor"),
        "reviewer": _("Reviewer"),
        "desk_agent": _("Desk agent"),
        "viewer": _("Viewer"),
    }[role]


def kind_label(kind: str) -> str:
    return {
        "epci": _("Intercommunal authority"),
        "commune": _("Commune"),
        "landlord": _("Social landlord"),
        "state": _("State services"),
        "action_logement": _("Action Logement"),
        "association": _("Association"),
        "other": _("Other partner"),
    }[kind]


def paris_datetime(moment: dt.datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return format_datetime(aware.astimezone(PARIS), "short")
