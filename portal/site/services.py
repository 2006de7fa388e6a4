"""The site's own pages (legal notice, personal data, accessibility), read from content/site/."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flask import current_app
from markupsafe import Markup

from portal.content import split_front_matter
from portal.markdown import render_markdown

SITE_PAGES = ("mentions-legales", "donnees-personnelles", "accessibilite")


@dataclass(frozen=True)
class SitePage:
    slug: str
    locale: str
    title: str
    summary: str
    updated: dt.date | None
    body: Markup


@lru_cache(maxsize=256)
def _read_page(path: Path, _mtime: float, slug: str, locale: str) -> SitePage:
    """The page as written; its links are put in the reader's language by the view."""
    meta, body = split_front_matter(path.read_text(encoding="utf-8"), path)
    updated = meta.get("updated")
    return SitePage(
        slug,
        locale,
        str(meta["title"]),
        str(meta.get("summary", "")),
        updated if isinstance(updated, dt.date) else None,
        render_markdown(body),
    )


def site_page(slug: str, locale: str) -> SitePage | None:
    """The page in this locale, else in French (the caller says so to the reader), else None."""
    content_dir = current_app.config["PORTAL_SETTINGS"].content_dir
    for candidate in dict.fromkeys((locale, "fr")):
        path = content_dir / "site" / candidate / f"{slug}.md"
        if path.is_file():
            return _read_page(path, path.stat().st_mtime, slug, candidate)
    return None
