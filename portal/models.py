"""Every area's models, imported in one place so the metadata (and Alembic) sees all tables."""

from portal.db import Base
from portal.information.models import Page, PageVersion, SearchEntry, Section
from portal.territory.models import Commune

__all__ = ["Base", "Commune", "Page", "PageVersion", "SearchEntry", "Section"]
