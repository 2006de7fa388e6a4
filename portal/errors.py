"""Translated error pages; a database that does not answer gives a 503 page, not a traceback."""

from __future__ import annotations

import time

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from portal import db

ERROR_TEXTS = {
    400: (
        _l("Bad request"),
        _l("The page could not understand what was sent. Please go back and try again."),
    ),
    403: (
        _l("Access denied"),
        _l(
            "You do not have permission to see this page. If you think this is an "
            "error, contact the person who manages your account."
        ),
    ),
    404: (
        _l("Page not found"),
        _l(
            "This page does not exist or has moved. Check the address, or start "
            "again from the home page or the site map."
        ),
    ),
    405: (
        _l("Method not allowed"),
        _l("This page cannot be used in this way. Please go back and try again."),
    ),
    413: (_l("File too large"), _l("What you sent is too large. Please send a smaller file.")),
    415: (
        _l("Unsupported content"),
        _l("This page accepts only its own form. Please go back to the page and send the form again."),
    ),
    429: (
        _l("Too many requests"),
        _l("You have made too many requests in a short time. Please wait a few minutes, then try again."),
    ),
    500: (
        _l("Something went wrong"),
        _l(
            "An unexpected error happened on our side. It has been recorded. "
            "Please try again in a few minutes."
        ),
    ),
    503: (
        _l("Service temporarily unavailable"),
        _l(
            "The portal cannot reach its data right now. Please try "
            "again in a few minutes. The desks of the territory "
            "remain open at their usual hours."
        ),
    ),
}


def retry_after_seconds() -> int:
    """When the limit that refused this request lets the client in again (60 s when it is not known)."""
    limit = current_app.extensions["portal.limiter"].current_limit
    return max(1, int(limit.reset_at - time.time())) if limit is not None else 60


def render_error(code: int):
    title, message = ERROR_TEXTS.get(code, ERROR_TEXTS[500])
    return render_template("errors/error.html", code=code, title=title, message=message), code


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        if isinstance(error, SecurityError):
            # An untrusted Host header: no page of ours, with links built on that host, is sent back.
            return "Bad request: unknown host.", 400, {"Content-Type": "text/plain; charset=utf-8"}
        if request.path.startswith("/api/"):
            response = error.get_response()
            response.set_data(jsonify(error=error.name.lower(), status=error.code).get_data())
            response.content_type = "application/json"
            response.headers["Access-Control-Allow-Origin"] = "*"
            return response
        # Keep the exception's own headers (Allow on 405, Retry-After on 429).
        response = error.get_response()
        if error.code == 429 and "Retry-After" not in response.headers:
            response.headers["Retry-After"] = str(retry_after_seconds())
        body, _ = render_error(error.code)
        response.set_data(body)
        response.content_type = "text/html; charset=utf-8"
        return response

    @app.errorhandler(CSRFError)
    def _csrf_error(_error: CSRFError):
        return render_template(
            "errors/error.html",
            code=400,
            title=ERROR_TEXTS[400][0],
            message=_l(
                "Your form has expired or could not be checked, so nothing was saved. "
                "Go back, reload the page and send the form again."
            ),
        ), 400

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def _database_error(error: Exception):
        if db.is_reachable():
            # The database answers: this is a bug (a missing table, a bad query), not an outage.
            app.logger.error("database error", exc_info=error)
            return render_error(500)
        app.logger.warning("database unavailable: %s", type(getattr(error, "orig", error)).__name__)
        body, _ = render_error(503)
        return body, 503, {"Retry-After": "60"}

    @app.errorhandler(InternalServerError)
    def _internal_error(_error: InternalServerError):
        return render_error(500)
