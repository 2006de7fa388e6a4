"""Income ceilings and the household category: pure rules over plain data (no Flask, no database).

Ceilings are yearly parameters in content/ceilings/<year>.yaml with their legal reference; adding a
year needs no code. Household categories 1 to 6 follow the yearly order on ceilings (see DESIGN.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from portal.content import ContentError, read_yaml
from portal.territory.services import CEILING_ZONES

PRODUCTS = ("PLAI", "PLUS", "PLS")  # from very low incomes to the highest ceilings
ZONES = CEILING_ZONES
MAX_CATEGORY = 6


@dataclass(frozen=True)
class ZoneTable:
    categories: tuple[int, ...]  # ceilings of categories 1 to 6, € per year
    extra_person: int  # added per person beyond category 6


@dataclass(frozen=True)
class ProductTable:
    zones: dict[str, ZoneTable]
    verified: bool = True
    note: str = ""


@dataclass(frozen=True)
class Ceilings:
    """One year's ceilings and where they come from."""

    year: int
    effective_from: dt.date
    legal_reference: str
    young_couple_max_combined_age: int
    products: dict[str, ProductTable] = field(default_factory=dict)

    @property
    def income_year(self) -> int:
        """The reference tax income is that of year N-2."""
        return self.year - 2


@dataclass(frozen=True)
class Household:
    adults: int
    dependants: int = 0
    couple: bool = False  # married, PACS or living together
    ages: tuple[int, ...] = ()  # the couple's ages, for the young-couple rule
    disabled_member: bool = False

    @property
    def persons(self) -> int:
        return self.adults + self.dependants


@dataclass(frozen=True)
class Category:
    number: int  # 1 to 6
    extra_persons: int  # persons counted beyond category 6
    reasons: tuple[str, ...]  # codes: "young_couple", "single_with_dependants", "disability"


@dataclass(frozen=True)
class Assessment:
    category: Category
    zone: str
    income: int
    ceilings: dict[str, int]
    eligible: dict[str, bool]
    unverified: tuple[str, ...]

    @property
    def best_product(self) -> str | None:
        """The product with the lowest ceiling the household is under (PLAI, else PLUS, else PLS)."""
        return next((product for product in PRODUCTS if self.eligible.get(product)), None)


def household_category(household: Household, young_couple_max_combined_age: int = 55) -> Category:
    """The category of the ceilings order: household size, plus one step for the situations it names."""
    if household.adults < 1 or household.dependants < 0:
        raise ValueError("a household has at least one adult")
    reasons = []
    if household.adults == 1 and household.dependants >= 1:
        reasons.append("single_with_dependants")
    if (
        household.couple
        and household.adults == 2
        and household.dependants == 0
        and len(household.ages) == 2
        and sum(household.ages) <= young_couple_max_combined_age
    ):
        reasons.append("young_couple")
    if household.disabled_member:
        reasons.append("disability")
    # The named situations move the household one category up; they do not add up.
    size = household.persons + (1 if reasons else 0)
    return Category(min(size, MAX_CATEGORY), max(0, size - MAX_CATEGORY), tuple(reasons))


def income_retained(reference: int, recent: int | None) -> tuple[int, bool]:
    """The income compared with the ceilings, and whether it is the recent one: the income of year N-1
    or of the last 12 months replaces the reference tax income of year N-2 only when it is at least 10 %
    lower (order of 29 July 1987, article 3): one rule, whatever made the income drop."""
    if recent is None or recent < 0 or recent * 10 > reference * 9:
        return reference, False
    return recent, True


def ceiling(ceilings: Ceilings, product: str, zone: str, category: Category) -> int:
    table = ceilings.products[product].zones[zone]
    return table.categories[category.number - 1] + category.extra_persons * table.extra_person


def assess(household: Household, zone: str, income: int, ceilings: Ceilings) -> Assessment:
    """The household's category, the ceilings that apply in the zone, and which it is under."""
    if zone not in ZONES:
        raise ValueError(f"unknown ceiling zone {zone!r}")
    if income < 0:
        raise ValueError("income cannot be negative")
    category = household_category(household, ceilings.young_couple_max_combined_age)
    amounts = {product: ceiling(ceilings, product, zone, category) for product in PRODUCTS}
    return Assessment(
        category=category,
        zone=zone,
        income=income,
        ceilings=amounts,
        eligible={product: income <= amount for product, amount in amounts.items()},
        unverified=tuple(product for product in PRODUCTS if not ceilings.products[product].verified),
    )


# --- the yearly files ----------------------------------------------------------------------------


def _zone_table(raw, where: str) -> ZoneTable:
    if not isinstance(raw, dict):
        raise ContentError(f"{where}: must be a mapping with `categories` and `extra_person`")
    categories = raw.get("categories")
    if (
        not isinstance(categories, list)
        or len(categories) != MAX_CATEGORY
        or not all(isinstance(value, int) and value > 0 for value in categories)
    ):
        raise ContentError(f"{where}: `categories` must list six amounts in euros")
    if list(categories) != sorted(categories):
        raise ContentError(f"{where}: `categories` must grow from category 1 to 6")
    if not isinstance(raw.get("extra_person"), int) or raw["extra_person"] <= 0:
        raise ContentError(f"{where}: `extra_person` must be an amount in euros")
    return ZoneTable(tuple(categories), raw["extra_person"])


def _scaled(table: ZoneTable, factor: Decimal) -> ZoneTable:
    def scale(value: int) -> int:
        return int((Decimal(value) * factor).quantize(Decimal(1), rounding=ROUND_HALF_UP))

    return ZoneTable(tuple(scale(value) for value in table.categories), scale(table.extra_person))


def read_ceilings_file(path: Path) -> Ceilings:
    """One year's file, checked; ContentError names the file and the field."""
    raw = read_yaml(path)
    where = str(path)
    if not isinstance(raw, dict):
        raise ContentError(f"{where}: must be a mapping")
    for key, kind in (
        ("year", int),
        ("effective_from", dt.date),
        ("legal_reference", str),
        ("young_couple_max_combined_age", int),
        ("products", dict),
    ):
        if not isinstance(raw.get(key), kind):
            raise ContentError(f"{where}: `{key}` is missing or has the wrong type")
    products: dict[str, ProductTable] = {}
    for product in PRODUCTS:
        spec = raw["products"].get(product)
        if not isinstance(spec, dict):
            raise ContentError(f"{where}: products.{product} is missing")
        verified, note = bool(spec.get("verified", True)), str(spec.get("note", ""))
        if "derived_from" in spec:
            base = products.get(spec["derived_from"])
            if base is None:
                raise ContentError(
                    f"{where}: products.{product}.derived_from must name a product listed before it"
                )
            try:
                factor = Decimal(str(spec["factor"]))
            except (KeyError, ArithmeticError) as exc:
                raise ContentError(f"{where}: products.{product}.factor must be a number") from exc
            zones = {zone: _scaled(table, factor) for zone, table in base.zones.items()}
            verified = verified and base.verified
        else:
            zones_raw = spec.get("zones")
            if not isinstance(zones_raw, dict) or set(zones_raw) != set(ZONES):
                raise ContentError(f"{where}: products.{product}.zones must have {', '.join(ZONES)}")
            zones = {
                zone: _zone_table(zones_raw[zone], f"{where}: products.{product}.zones.{zone}")
                for zone in ZONES
            }
        products[product] = ProductTable(zones, verified, note)
    for zone in ZONES:
        for index in range(MAX_CATEGORY):
            amounts = [products[product].zones[zone].categories[index] for product in PRODUCTS]
            if amounts != sorted(amounts):
                raise ContentError(
                    f"{where}: in zone {zone}, category {index + 1}: PLAI ≤ PLUS ≤ PLS is broken"
                )
    return Ceilings(
        raw["year"],
        raw["effective_from"],
        raw["legal_reference"],
        raw["young_couple_max_combined_age"],
        products,
    )


def read_all_ceilings(content_dir: Path) -> list[Ceilings]:
    """Every year in content/ceilings/, oldest first."""
    years = [read_ceilings_file(path) for path in sorted((content_dir / "ceilings").glob("*.yaml"))]
    if not years:
        raise ContentError(f"{content_dir / 'ceilings'}: no ceilings file")
    return sorted(years, key=lambda ceilings: ceilings.effective_from)


def ceilings_on(years: list[Ceilings], day: dt.date) -> Ceilings:
    """The ceilings in force on a day: the latest year that has started (the oldest before any)."""
    started = [ceilings for ceilings in years if ceilings.effective_from <= day]
    return started[-1] if started else years[0]
