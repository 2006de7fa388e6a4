"""Every area's models, imported in one place so the metadata (and Alembic) sees all tables."""

from portal.cotation.models import CriterionRecord, GridRecord
from portal.db import Base
from portal.demands.imports.records import ImportRecord
from portal.demands.models import Allocation, Demand, DemandEvent, HousingStock
from portal.desks.models import Closure, Desk, DeskNotice, OpeningSlot
from portal.exchange.models import (
    Conversation,
    ListingPhoto,
    ListingWish,
    MatchCount,
    Message,
    Report,
    Swap,
    SwapMove,
    Tenant,
    TenantLink,
)
from portal.exchange.models import Listing as ExchangeListing
from portal.guides.models import RenderClaim, RenderedDocument
from portal.information.models import Page, PageVersion, SearchEntry, Section
from portal.jobs.models import JobLock, JobRecord
from portal.library.models import DocumentTag, NetworkMeeting, NewsItem, SharedDocument
from portal.observatory.models import FiguresSnapshot
from portal.partners.models import (
    AuditEntry,
    Membership,
    OneTimeLink,
    Organisation,
    RoleInvitation,
    SignInThrottle,
    User,
)
from portal.priority.models import CommitteeSession, Objective, Referral
from portal.rehousing.models import Commitment as RehousingCommitment
from portal.rehousing.models import Household as RehousingHousehold
from portal.rehousing.models import Offer as RehousingOffer
from portal.rehousing.models import Operation as RehousingOperation
from portal.rehousing.models import Proposal as RehousingProposal
from portal.revision import ContentRevision
from portal.sessions import AuthSession
from portal.territory.models import Commune

__all__ = [
    "Allocation",
    "AuditEntry",
    "AuthSession",
    "Base",
    "Closure",
    "CommitteeSession",
    "Commune",
    "ContentRevision",
    "Conversation",
    "CriterionRecord",
    "Demand",
    "DemandEvent",
    "Desk",
    "DeskNotice",
    "DocumentTag",
    "ExchangeListing",
    "FiguresSnapshot",
    "GridRecord",
    "HousingStock",
    "ImportRecord",
    "JobLock",
    "JobRecord",
    "ListingPhoto",
    "ListingWish",
    "MatchCount",
    "Membership",
    "Message",
    "NetworkMeeting",
    "NewsItem",
    "Objective",
    "OneTimeLink",
    "OpeningSlot",
    "Organisation",
    "Page",
    "PageVersion",
    "Referral",
    "RehousingCommitment",
    "RehousingHousehold",
    "RehousingOffer",
    "RehousingOperation",
    "RehousingProposal",
    "RenderClaim",
    "RenderedDocument",
    "Report",
    "RoleInvitation",
    "SearchEntry",
    "Section",
    "SharedDocument",
    "SignInThrottle",
    "Swap",
    "SwapMove",
    "Tenant",
    "TenantLink",
    "User",
]
