"""Serving print documents without printing them inside a web request.

A public document (guide, grid sheet, desk sheet) is served from the disk cache. When the cache has no
PDF for what the document shows now, the request claims the document (one row per document in the
database, shared by every app server), queues one render, and answers 503 with a page saying it is being
prepared (Retry-After, and a Refresh header that asks again by itself); whoever asks meanwhile gets the
same page, and no second render is queued. Documents are also pre-rendered by a job after each
publication and every night (portal/guides/jobs.py), so most requests find them ready.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable
from email.utils import format_datetime

from flask import Response, render_template, request

from portal.guides.documents import Document, cache, cached
from portal.guides.jobs import queue_render

RETRY_SECONDS = 5


# A stamp (see documents.guide_stamp) gives the same document: its cache entry is remembered per process,
# so that a cache hit does not even write the HTML again.
_known: OrderedDict[tuple, tuple[str, str, str]] = OrderedDict()
KNOWN_MAX = 1024


def forget_documents() -> None:
    _known.clear()


def document_response(
    stamp: tuple,
    spec: tuple[str, str, str | int | None],
    build: Callable[[], Document],
    download: bool = False,
) -> Response:
    """The document's PDF from the cache, or the "being prepared" page once its render is queued."""
    known = _known.get(stamp)
    if known is not None:
        name, key, filename = known
        found = cache().get(name, key)
        if found is not None:
            return _pdf_response(found[0], found[1], key, filename, download)
    document = build()
    hit = cached(document)
    if hit is None:
        queue_render(document, spec, urgent=True)
        hit = cached(document)  # rendered already when jobs run at once (tests, a one-process set-up)
    if hit is None:
        return preparing_response()
    _known[stamp] = (document.name, hit[2], document.filename)
    while len(_known) > KNOWN_MAX:
        _known.popitem(last=False)
    return _pdf_response(hit[0], hit[1], hit[2], document.filename, download)


def preparing_response() -> Response:
    """503 with a page that says the document is on its way and asks again by itself (the Refresh
    header, understood by every browser, works without JavaScript and is not a <meta> refresh)."""
    body = render_template("guides/preparing.html", retry=RETRY_SECONDS)
    response = Response(body, status=503, mimetype="text/html")
    response.headers["Retry-After"] = str(RETRY_SECONDS)
    response.headers["Refresh"] = str(RETRY_SECONDS)
    response.cache_control.no_store = True
    return response


def _pdf_response(pdf: bytes, modified: float, key: str, filename: str, download: bool) -> Response:
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


def private_pdf_response(pdf: bytes, filename: str) -> Response:
    """A document of one person (the applicant's statement): an attachment no cache keeps."""
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.cache_control.no_store = True
    response.cache_control.private = True
    return response
