"""What goes into a guide, and the disk cache of the rendered PDFs.

A guide is first written as HTML (cheap: a few milliseconds), then printed to PDF by WeasyPrint
(expensive). The cache key is a hash of that HTML and of the stylesheets it uses, so whatever changes in
what a guide shows (a page published, a desk's hours, the grid in force, the ceilings of a new year) makes
a new key: publishing invalidates the guides that use the content, and only those.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.desks.models import Desk
from portal.desks.services import haversine_km
from portal.guides.models import RenderedDocument
from portal.information.services import EASY, STANDARD, page_view, published
from portal.territory.models import Commune

log = logging.getLogger(__name__)

NEIGHBOUR_KM = 12.0  # the commune edition lists the desks of the communes within this distance
STYLESHEETS = ("css/fonts.css", "css/guide-fonts.css", "css/guide.css")


@dataclass(frozen=True)
class GuidePage:
    slug: str
    title: str
    body_source: str  # Markdown, rendered by the template's caller
    locale: str  # the locale of the text: the reader's, or French when not translated
    updated_on: dt.date


def guide_pages(session: Session, locale: str, variant: str = STANDARD) -> list[GuidePage]:
    """Every published page in reading order: standard pages in the locale (French where not translated),
    or the easy-to-read French pages."""
    pages = []
    for slug in published(session).slugs:
        view = page_view(session, slug, locale, variant)
        if view is None:
            continue
        version = view.version
        pages.append(GuidePage(slug, version.title, version.body, version.locale, version.updated_on))
    return pages


def registration_desks(session: Session, commune_insee: str | None = None) -> list[Desk]:
    """Desks to list in a guide: for a commune, its desks and its neighbours' (nearest first); for the
    whole territory, every desk that registers demands (level 2 and up), by commune."""
    query = select(Desk).options(selectinload(Desk.slots), selectinload(Desk.commune))
    if commune_insee is None:
        desks = session.scalars(query.where(Desk.level >= 2)).all()
        return sorted(desks, key=lambda desk: (desk.commune.name, desk.name))
    home = session.get(Commune, commune_insee)
    if home is None:
        return []
    communes = {
        commune.insee: haversine_km(home.latitude, home.longitude, commune.latitude, commune.longitude)
        for commune in session.scalars(select(Commune))
    }
    near = [insee for insee, km in communes.items() if km <= NEIGHBOUR_KM]
    desks = session.scalars(query.where(Desk.commune_insee.in_(near))).all()
    return sorted(desks, key=lambda desk: (communes[desk.commune_insee], desk.commune.name, desk.name))


@lru_cache(maxsize=8)
def stylesheets_hash(static_dir: Path, mtimes: tuple) -> str:
    digest = hashlib.sha256()
    for name in STYLESHEETS:
        digest.update((static_dir / name).read_bytes())
    return digest.hexdigest()


def cache_key(html: str, static_dir: Path) -> str:
    mtimes = tuple((static_dir / name).stat().st_mtime_ns for name in STYLESHEETS)
    digest = hashlib.sha256(html.encode("utf-8"))
    digest.update(stylesheets_hash(static_dir, mtimes).encode())
    return digest.hexdigest()[:32]


class GuideCache:
    """Printed PDFs, one per document (guide, locale, commune; desk sheet): in the database, shared by
    every app server and consumer, and copied to `instance/cache/guides/` on each machine that serves
    them, so that a hit reads a local file. A new key replaces the older copy of the same document. A
    folder that cannot be written is only logged: the database copy is served."""

    def __init__(self, directory: Path, session: Session):
        self.directory, self.session = directory, session

    def path(self, name: str, key: str) -> Path:
        return self.directory / f"{name}--{key}.pdf"

    def get(self, name: str, key: str) -> tuple[bytes, float] | None:
        path = self.path(name, key)
        try:
            return path.read_bytes(), path.stat().st_mtime
        except OSError:
            pass
        stored = self.session.scalar(
            select(RenderedDocument).where(RenderedDocument.name == name, RenderedDocument.key == key)
        )
        if stored is None:
            return None
        self._copy(name, key, stored.pdf)
        moment = (
            stored.rendered_at if stored.rendered_at.tzinfo else stored.rendered_at.replace(tzinfo=dt.UTC)
        )
        return stored.pdf, moment.timestamp()

    def put(self, name: str, key: str, pdf: bytes, moment: dt.datetime) -> None:
        """Keep a new printing (committed at once: every server may serve it from now on)."""
        self.session.merge(
            RenderedDocument(name=name, key=key, pdf=pdf, rendered_at=moment.astimezone(dt.UTC))
        )
        self.session.commit()
        self._copy(name, key, pdf)

    def _copy(self, name: str, key: str, pdf: bytes) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.directory, suffix=".part")
            with os.fdopen(handle, "wb") as out:
                out.write(pdf)
            os.replace(temporary, self.path(name, key))
            for older in self.directory.glob(f"{name}--*.pdf"):
                if older.name != self.path(name, key).name:
                    older.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("guide cache not written (%s): %s", name, exc.__class__.__name__)


def easy_variant(guide: str) -> str:
    return EASY if guide == "easy" else STANDARD
