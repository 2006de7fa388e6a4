"""Reading content/territory.yaml, and what other areas ask about the territory."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from flask import current_app
from sqlalchemy import select

from portal import db
from portal.content import load_yaml
from portal.territory.models import Commune
from portal.text import folded

CEILING_ZONES = ("paris", "idf", "other")
THEME_KEYS = (
    "primary",
    "primary_dark",
    "primary_contrast",
    "accent",
    "text",
    "muted",
    "background",
    "surface",
    "border",
)
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
# Figures of the territory that pages name as [[tokens]]; each comes with its source in `sources`.
FIGURES = ("abnormal_delay_months", "dalo_offer_months", "interview_delay_months")


class TerritoryFileError(ValueError):
    """territory.yaml is malformed; the message names the file and the field."""


@dataclass(frozen=True)
class CommuneData:
    insee: str
    name: str
    postcodes: tuple[str, ...]
    latitude: float
    longitude: float
    ceiling_zone: str
    population: int | None = None


@dataclass(frozen=True)
class Source:
    """Where a figure of the territory comes from: a text, its address, and whether someone has checked
    the figure against the text itself (False: taken from a secondary source, to confirm)."""

    title: str
    url: str = ""
    verified: bool = False


@dataclass(frozen=True)
class Territory:
    """The territory's settings; read once at start, never from a request."""

    code: str
    name: str
    kind: str
    department: str
    demo: bool
    abnormal_delay_months: int
    dalo_offer_months: int
    interview_delay_months: int
    sources: dict[str, Source] = field(default_factory=dict)
    contact: dict = field(default_factory=dict)
    publisher: dict = field(default_factory=dict)
    theme: dict = field(default_factory=dict)
    communes: tuple[CommuneData, ...] = ()
    link_hosts: frozenset[str] = frozenset()
    # The yearly income per consumption unit under which a household is in the lowest quartile of the
    # demands (set each year by the prefect's order); None: not set, candidates are not judged on it.
    lowest_quartile_income: int | None = None

    @property
    def figures(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in FIGURES}


def _require(mapping: dict, key: str, where: str, kind: type | tuple[type, ...] = str):
    if key not in mapping or mapping[key] is None:
        raise TerritoryFileError(f"{where}: `{key}` is missing")
    value = mapping[key]
    if not isinstance(value, kind):
        raise TerritoryFileError(f"{where}: `{key}` has the wrong type ({type(value).__name__})")
    return value


def _months(raw: dict, name: str, where: str) -> int:
    value = _require(raw, name, where, int)
    if isinstance(value, bool) or not 1 <= value <= 120:
        raise TerritoryFileError(f"{where}: `{name}` must be a number of months between 1 and 120")
    return value


def _commune(raw: dict, where: str) -> CommuneData:
    if not isinstance(raw, dict):
        raise TerritoryFileError(f"{where}: each commune must be a mapping")
    insee = str(_require(raw, "insee", where))
    where = f"{where} (insee {insee})"
    if not re.fullmatch(r"\d[0-9AB]\d{3}", insee):
        raise TerritoryFileError(f"{where}: `insee` must be a 5-character INSEE code")
    postcodes = tuple(str(code) for code in _require(raw, "postcodes", where, list))
    if not postcodes or any(not re.fullmatch(r"\d{5}", code) for code in postcodes):
        raise TerritoryFileError(f"{where}: `postcodes` must list 5-digit postcodes")
    latitude = float(_require(raw, "lat", where, (int, float)))
    longitude = float(_require(raw, "lon", where, (int, float)))
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise TerritoryFileError(f"{where}: `lat`/`lon` are out of range")
    zone = _require(raw, "ceiling_zone", where)
    if zone not in CEILING_ZONES:
        raise TerritoryFileError(f"{where}: `ceiling_zone` must be one of {', '.join(CEILING_ZONES)}")
    population = raw.get("population")
    return CommuneData(
        insee,
        _require(raw, "name", where),
        postcodes,
        latitude,
        longitude,
        zone,
        int(population) if population is not None else None,
    )


def _sources(raw, where: str) -> dict[str, Source]:
    """Every figure's source: a title, an https address (optional) and `verified`."""
    if not isinstance(raw, dict):
        raise TerritoryFileError(f"{where}: `sources` must be a mapping with one entry per figure")
    sources = {}
    for name in FIGURES:
        item = raw.get(name)
        if not isinstance(item, dict) or not str(item.get("title") or "").strip():
            raise TerritoryFileError(
                f"{where}: sources.{name} needs a `title` (the text the figure comes from)"
            )
        url = str(item.get("url") or "")
        if url and not url.startswith("https://"):
            raise TerritoryFileError(f"{where}: sources.{name}.url must be an https address")
        sources[name] = Source(str(item["title"]).strip(), url, bool(item.get("verified", False)))
    return sources


def read_territory(content_dir: Path) -> Territory:
    """Parse and check territory.yaml; raise TerritoryFileError naming what is wrong."""
    path = content_dir / "territory.yaml"
    try:
        raw = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise TerritoryFileError(f"{path}: cannot be read ({exc})") from exc
    if not isinstance(raw, dict):
        raise TerritoryFileError(f"{path}: must be a mapping")
    where = str(path)
    theme = _require(raw, "theme", where, dict)
    for key in THEME_KEYS:
        if not _COLOUR.match(str(theme.get(key, ""))):
            raise TerritoryFileError(f"{where}: theme `{key}` must be a colour like #1f4e8c")
    communes = tuple(
        _commune(item, f"{where} communes[{index}]")
        for index, item in enumerate(_require(raw, "communes", where, list))
    )
    if not communes:
        raise TerritoryFileError(f"{where}: `communes` is empty")
    if len({commune.insee for commune in communes}) != len(communes):
        raise TerritoryFileError(f"{where}: an INSEE code appears twice in `communes`")
    return Territory(
        code=str(_require(raw, "code", where)),
        name=_require(raw, "name", where),
        kind=_require(raw, "kind", where),
        department=str(_require(raw, "department", where)),
        demo=bool(raw.get("demo", False)),
        **{name: _months(raw, name, where) for name in FIGURES},
        sources=_sources(raw.get("sources"), where),
        contact=raw.get("contact") or {},
        publisher=raw.get("publisher") or {},
        theme=theme,
        communes=communes,
        link_hosts=frozenset(str(host) for host in raw.get("link_hosts") or ()),
        lowest_quartile_income=_threshold(raw, where),
    )


def _threshold(raw: dict, where: str) -> int | None:
    value = raw.get("lowest_quartile_income")
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise TerritoryFileError(f"{where}: `lowest_quartile_income` must be a whole number of euros")
    return value


def current_territory() -> Territory:
    return current_app.extensions["portal.territory"]


def commune_names() -> dict[str, str]:
    """{INSEE code: name} of the territory's communes."""
    return {data.insee: data.name for data in current_territory().communes}


def sync_communes(session, territory: Territory) -> tuple[int, int]:
    """Make the commune table match the territory file; returns (added or updated, removed)."""
    existing = {commune.insee: commune for commune in session.scalars(select(Commune))}
    changed = 0
    for data in territory.communes:
        commune = existing.pop(data.insee, None) or Commune(insee=data.insee)
        values = {
            "name": data.name,
            "postcodes": " ".join(data.postcodes),
            "latitude": data.latitude,
            "longitude": data.longitude,
            "ceiling_zone": data.ceiling_zone,
            "population": data.population,
        }
        if commune not in session or any(getattr(commune, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(commune, key, value)
            session.add(commune)
            changed += 1
    for stale in existing.values():
        session.delete(stale)
    return changed, len(existing)


EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points, in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def neighbours(insee: str, km: float) -> tuple[str, ...]:
    """The communes of the territory whose town hall is within `km` of this one's, nearest first, this
    one included first (the territory file's coordinates); empty for a commune the file does not have."""
    places = {data.insee: data for data in current_territory().communes}
    home = places.get(insee)
    if home is None:
        return ()
    near = sorted(
        (haversine_km(home.latitude, home.longitude, data.latitude, data.longitude), data.insee)
        for data in places.values()
        if data.insee != insee
    )
    return (insee, *(code for distance, code in near if distance <= km))


def commune(insee: str) -> Commune | None:
    return db.session().get(Commune, insee)


def communes() -> list[Commune]:
    """Every commune of the territory, by name."""
    return sorted(db.session().scalars(select(Commune)), key=lambda commune: folded(commune.name))


def init_app(app) -> None:
    app.extensions["portal.territory"] = read_territory(app.config["PORTAL_SETTINGS"].content_dir)
    app.context_processor(lambda: {"territory": current_territory()})
