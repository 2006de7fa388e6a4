"""Print documents: the values every print template uses, and PDF responses (cached or never stored)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import format_datetime
from pathlib import Path

from flask import Response, current_app, request, url_for

from portal import clock
from portal.cotation.grids import GridText
from portal.cotation.views import rule, verification_label
from portal.desks.views import week_rows
from portal.guides import services
from portal.guides.render import render_pdf
from portal.i18n import locales
from portal.territory.services import current_territory
from portal.ui.views import theme_css


def static_dir() -> Path:
    return Path(current_app.static_folder)


def cache() -> services.GuideCache:
    return services.GuideCache(current_app.config["PORTAL_SETTINGS"].instance_dir / "cache" / "guides")


def document_globals(locale: str, for_pdf: bool) -> dict:
    """What every print template uses; the same values for the PDF and its preview but the theme's URL."""
    return {
        "doc_locale": locale,
        "doc_rtl": locales()[locale].rtl,
        "territory": current_territory(),
        "asset": lambda path: f"/static/{path}",
        "theme_url": "/generated/theme.css" if for_pdf else url_for("ui.theme"),
        "pick": GridText.pick,
        "rule": rule,
        "verification_label": verification_label,
        "week_rows": week_rows,
        "moment": clock.now(),
    }


@dataclass(frozen=True)
class Document:
    """A print document ready for WeasyPrint: its HTML, the files made for it, its names."""

    name: str  # the cache's name for it: guide, locale, commune
    html: str
    generated: dict[str, tuple[bytes, str]]
    filename: str  # offered to the browser


def document_key(document: Document) -> str:
    extra = "".join(
        sorted(f"{name}:{hashlib.sha256(body).hexdigest()}" for name, (body, _) in document.generated.items())
    )
    return services.cache_key(document.html + extra, static_dir())


def cached_pdf(document: Document) -> tuple[bytes, float, str, bool]:
    """(PDF, when it was made, its key, whether it came from the cache): rendered only when the cache
    has no file for this exact document."""
    key = document_key(document)
    found = cache().get(document.name, key)
    if found is not None:
        return found[0], found[1], key, True
    pdf = render_pdf(document.html, static_dir(), document.generated)
    cache().put(document.name, key, pdf)
    return pdf, clock.now().timestamp(), key, False


def pdf_response(document: Document, cached: bool = True, download: bool = False) -> Response:
    """The PDF as a response: cached documents get ETag and Last-Modified; the others are never stored."""
    if not cached:
        response = Response(
            render_pdf(document.html, static_dir(), document.generated), mimetype="application/pdf"
        )
        response.headers["Content-Disposition"] = f'attachment; filename="{document.filename}"'
        response.cache_control.no_store = True
        response.cache_control.private = True
        return response
    pdf, modified, key, _ = cached_pdf(document)
    return _cached_response(pdf, modified, key, document.filename, download)


# What a guide shows is known from a few stamps (see views.guide_stamp); for the same stamps the same
# document comes out, so its key is remembered and a cache hit skips writing the HTML again.
_known: OrderedDict[tuple, tuple[str, str, str]] = OrderedDict()
KNOWN_MAX = 1024


def remembered_response(stamp: tuple, build: Callable[[], Document], download: bool = False) -> Response:
    """The PDF of the document `build` makes, without making it when the stamp's PDF is on disk."""
    known = _known.get(stamp)
    if known is not None:
        name, key, filename = known
        found = cache().get(name, key)
        if found is not None:
            return _cached_response(found[0], found[1], key, filename, download)
    document = build()
    pdf, modified, key, _ = cached_pdf(document)
    _known[stamp] = (document.name, key, document.filename)
    while len(_known) > KNOWN_MAX:
        _known.popitem(last=False)
    return _cached_response(pdf, modified, key, document.filename, download)


def forget_documents() -> None:
    _known.clear()


def _cached_response(pdf: bytes, modified: float, key: str, filename: str, download: bool) -> Response:
    response = Response(pdf, mimetype="application/pdf")
    disposition = "attachment" if download else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response.set_etag(key)
    response.headers["Last-Modified"] = format_datetime(
        dt.datetime.fromtimestamp(modified, dt.UTC), usegmt=True
    )
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response.make_conditional(request)


def theme_file() -> dict:
    return {"theme.css": (theme_css(current_territory().theme).encode(), "text/css")}
