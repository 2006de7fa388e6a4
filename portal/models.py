"""Every area's models, imported in one place so the metadata (and Alembic) sees all tables."""

from portal.backoffice.models import Organisation
from portal.cotation.models import CriterionRecord, GridRecord
from portal.db import Base
from portal.demands.models import Demand, DemandEvent
from portal.desks.models import Closure, Desk, DeskNotice, OpeningSlot
from portal.information.models import ContentRevision, Page, PageVersion, SearchEntry, Section
from portal.territory.models import Commune

__all__ = [
    "Base",
    "Closure",
    "Commune",
    "ContentRevision",
    "CriterionRecord",
    "Demand",
    "DemandEvent",
    "Desk",
    "DeskNotice",
    "GridRecord",
    "OpeningSlot",
    "Organisation",
    "Page",
    "PageVersion",
    "SearchEntry",
    "Section",
]
