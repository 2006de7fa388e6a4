"""What each indicator is called and how it is computed, said to its readers (shown beside every figure on
the public pages and the partners' dashboard, and in the exports' documentation)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString


@dataclass(frozen=True)
class Indicator:
    name: str  # the Figures field
    label: LazyString
    definition: LazyString
    kind: str  # count, ratio, share, months, dwellings
    public: bool  # shown on the public pages (the partners' dashboard shows them all)


INDICATORS = (
    Indicator(
        "active_demands",
        _l("Demands in progress"),
        _l(
            "Demands filed by the end of the period and neither allocated nor struck off by then, counted in "
            "the commune of first choice."
        ),
        "count",
        True,
    ),
    Indicator(
        "new_demands",
        _l("New demands"),
        _l("Demands filed during the period, counted in the commune of first choice."),
        "count",
        True,
    ),
    Indicator(
        "allocations",
        _l("Allocations"),
        _l("Dwellings allocated during the period, counted in the commune of the dwelling."),
        "count",
        True,
    ),
    Indicator(
        "pressure",
        _l("Demands per allocation"),
        _l(
            "Demands in progress at the end of the period divided by the allocations of the period: the "
            "higher it is, the longer the wait."
        ),
        "ratio",
        True,
    ),
    Indicator(
        "wait_median_months",
        _l("Median wait"),
        _l(
            "Half of the households housed during the period had waited less than this, from filing to "
            "allocation, in months."
        ),
        "months",
        True,
    ),
    Indicator(
        "wait_p75_months",
        _l("Wait of three households in four"),
        _l("Three quarters of the households housed during the period had waited less than this, in months."),
        "months",
        False,
    ),
    Indicator(
        "transfer_demands",
        _l("Transfer demands"),
        _l("Demands in progress from households already living in social housing (mutations)."),
        "count",
        False,
    ),
    Indicator(
        "transfer_share_demands",
        _l("Share of transfers among demands"),
        _l("Transfer demands divided by the demands in progress."),
        "share",
        False,
    ),
    Indicator(
        "transfer_allocations",
        _l("Allocations to transfers"),
        _l("Allocations of the period to households already living in social housing."),
        "count",
        False,
    ),
    Indicator(
        "transfer_share_allocations",
        _l("Share of transfers among allocations"),
        _l("Allocations to transfers divided by all the allocations of the period."),
        "share",
        False,
    ),
    Indicator(
        "dalo_demands",
        _l("DALO demands"),
        _l("Demands in progress of households recognised as priority and urgent under the DALO."),
        "count",
        False,
    ),
    Indicator(
        "pdalhpd_demands",
        _l("Demands of the departmental plan's priority public"),
        _l(
            "Demands in progress of households of the priority public of the departmental plan (PDALHPD), "
            "the public of the collective agreement."
        ),
        "count",
        False,
    ),
    Indicator(
        "dalo_allocations",
        _l("Allocations to DALO households"),
        _l("Allocations of the period to households recognised under the DALO (from the allocations file)."),
        "count",
        False,
    ),
    Indicator(
        "accord_allocations",
        _l("Allocations under the collective agreement"),
        _l("Allocations of the period under the collective agreement (from the allocations file)."),
        "count",
        False,
    ),
    Indicator(
        "priority_allocations",
        _l("Allocations to priority publics"),
        _l(
            "Allocations of the period to a DALO household, under the collective agreement or to another "
            "priority public of article L.441-1 (from the allocations file)."
        ),
        "count",
        False,
    ),
    Indicator(
        "detailed_allocations",
        _l("Allocations described in detail"),
        _l(
            "Allocations of the period that the allocations file describes (landlord, priority public, "
            "district, income quartile); the figures drawn from that file rest on these."
        ),
        "count",
        False,
    ),
    Indicator(
        "renewals",
        _l("Renewals"),
        _l("Demands renewed during the period."),
        "count",
        False,
    ),
    Indicator(
        "struck_off",
        _l("Demands struck off"),
        _l("Demands struck off during the period (not renewed, or at the household's request)."),
        "count",
        False,
    ),
    Indicator(
        "lowest_quartile_share",
        _l("Allocations outside priority districts to the lowest-income quartile"),
        _l(
            "Among the allocations outside priority urban districts (QPV) whose household's income is known, "
            "the share that went to the quarter of applicants with the lowest incomes; the law sets the "
            "objective at 25 % at least."
        ),
        "share",
        False,
    ),
    Indicator(
        "lowest_quartile_base",
        _l("Allocations outside priority districts with a known income quartile"),
        _l("The allocations the previous share is computed on."),
        "count",
        False,
    ),
    Indicator(
        "stock",
        _l("Social dwellings"),
        _l("Social dwellings counted on 1 January of the latest count available (social housing register)."),
        "dwellings",
        True,
    ),
)
BY_NAME = {indicator.name: indicator for indicator in INDICATORS}
SECRECY_NOTE = _l(
    "Figures that rest on fewer than 5 households are not shown, so that no one can be recognised "
    "(statistical secrecy)."
)
