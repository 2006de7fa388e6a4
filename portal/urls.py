"""Absolute links: always on the portal's public address (PORTAL_PUBLIC_URL), never on the Host a request
came with, so a forged Host header cannot put another address in an e-mail, a printed QR code or a page
kept in a cache, and the same page is the same bytes whatever the host."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app


def public_url() -> str:
    """PORTAL_PUBLIC_URL, without a trailing slash (e.g. https://logement.example.org)."""
    return current_app.config["PORTAL_SETTINGS"].public_url


def absolute(path: str) -> str:
    """The public URL of a path of this portal as url_for gives it in a request ("/fr/guichets")."""
    parts = urlsplit(public_url())
    return f"{parts.scheme}://{parts.netloc}{path}"


def public_url_for(endpoint: str, **values) -> str:
    """url_for(…, _external=True), but on the public address; works in a request, a command or a job."""
    parts = urlsplit(public_url())
    values = dict(values)
    current_app.inject_url_defaults(endpoint, values)
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme)
    return adapter.build(endpoint, values, force_external=True)


def init_app(app) -> None:
    app.jinja_env.globals.update(absolute_url=absolute, public_url_for=public_url_for)
