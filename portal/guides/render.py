"""HTML to tagged PDF with WeasyPrint, fetching nothing but the portal's own files.

Guides are rendered from a document whose base URL is on a reserved host (`BASE_URL`). The fetcher
serves two kinds of address there: `/static/…`, the portal's static files (fonts, stylesheets, logo),
and `/generated/<name>`, images and stylesheets made for this document (a QR code, the territory's
theme). Anything else, on any scheme (file:, http:, https:, data:, another host), is refused.
"""

from __future__ import annotations

import io
import mimetypes
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from fontTools.ttLib import TTFont
from weasyprint import HTML, URLFetcher
from weasyprint.urls import URLFetcherResponse

BASE_URL = "https://guides.portal.invalid/"
HOST = urlsplit(BASE_URL).hostname


class RefusedURL(ValueError):
    """A guide asked for something other than the portal's own files."""


class GuideFetcher(URLFetcher):
    """WeasyPrint's fetcher, reduced to the static folder and this document's generated files."""

    def __init__(self, static_dir: Path, generated: dict[str, tuple[bytes, str]] | None = None):
        super().__init__(allowed_protocols=("https",), allow_redirects=False, fail_on_errors=False)
        self.static_dir = static_dir.resolve()
        self.generated = generated or {}
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        parts = urlsplit(url)
        path = unquote(parts.path)
        if parts.scheme == "https" and parts.hostname == HOST and not parts.query:
            if path.startswith("/generated/") and path.removeprefix("/generated/") in self.generated:
                body, mimetype = self.generated[path.removeprefix("/generated/")]
                return URLFetcherResponse(url, body, {"Content-Type": mimetype})
            if path.startswith("/static/"):
                target = (self.static_dir / path.removeprefix("/static/")).resolve()
                if target.is_relative_to(self.static_dir) and target.is_file():
                    if target.suffix == ".woff2":
                        body = decompressed_font(target, target.stat().st_mtime_ns)
                        return URLFetcherResponse(url, body, {"Content-Type": "font/ttf"})
                    mimetype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, target.read_bytes(), {"Content-Type": mimetype})
        self.refused.append(url.split("?")[0][:200])
        raise RefusedURL(f"guides fetch only the portal's own files, not {url[:80]!r}")


@lru_cache(maxsize=64)
def decompressed_font(path: Path, mtime_ns: int) -> bytes:
    """A vendored WOFF2 font as plain OpenType, decompressed once per process (WeasyPrint would do it
    at every render: about half a second for the guide's fonts)."""
    font = TTFont(io.BytesIO(path.read_bytes()))
    font.flavor = None
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}


def render(
    html: str, static_dir: Path, generated: dict[str, tuple[bytes, str]] | None = None
) -> tuple[bytes, int]:
    """(PDF, number of pages). A tagged PDF (PDF/UA-1): title, language and author come from the document's
    <title>, <html lang> and <meta name="author">; fonts are embedded as subsets."""
    fetcher = GuideFetcher(static_dir, generated)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(**OPTIONS)
    return document.write_pdf(**OPTIONS), len(document.pages)


def render_pdf(html: str, static_dir: Path, generated: dict[str, tuple[bytes, str]] | None = None) -> bytes:
    """The PDF alone (see `render`)."""
    return render(html, static_dir, generated)[0]
