"""Home page, legal pages, site map, the root redirect and the health check."""

from __future__ import annotations

from dataclasses import dataclass

import redis
from flask import Blueprint, Flask, abort, current_app, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from portal import db
from portal.i18n import negotiated_locale
from portal.markdown import localize_links
from portal.pagecache import cached_page
from portal.security import no_rate_limit
from portal.site.services import SITE_PAGES, site_page
from portal.territory.services import communes

bp = Blueprint("site", __name__, url_prefix="/<locale:lang_code>", template_folder="templates")


@dataclass(frozen=True)
class Part:
    """One part of the portal, as the home page and the site map introduce it."""

    endpoint: str
    title: str
    description: str


PARTS = (
    Part(
        "information.index",
        _l("Understand social housing"),
        _l(
            "Who may apply, income ceilings, the steps of a demand, documents, renewal, priority situations "
            "and DALO, transfers for social tenants."
        ),
    ),
    Part(
        "information.eligibility",
        _l("Check your eligibility"),
        _l("Your household category and the income ceilings that apply to you, in a few questions."),
    ),
    Part(
        "desks.search",
        _l("Find a desk near you"),
        _l("Where to register or get help, opening hours, accessibility and languages spoken."),
    ),
    Part(
        "cotation.index",
        _l("Understand your score"),
        _l("The scoring grid, a simulator, and your score and position among similar demands."),
    ),
    Part(
        "exchange.index",
        _l("Swap your social dwelling"),
        _l("For social tenants: find the tenants who would swap dwellings with you, two or three together."),
    ),
    Part(
        "observatory.territory",
        _l("Demands and allocations"),
        _l("How many demands and allocations, and how long the wait, in each commune and by dwelling type."),
    ),
    Part(
        "guides.index",
        _l("Print a guide"),
        _l("Printable guides in your language, for a commune or for one desk."),
    ),
)


def part_url(endpoint: str) -> str | None:
    """The part's URL, or None while that part of the portal is not built yet."""
    if endpoint not in current_app.view_functions:
        return None
    return url_for(endpoint)


def nav_items() -> list[tuple[str, str, str | None]]:
    """The main menu: (label, URL, aria-current) for each part of the portal that is built.

    aria-current is "page" on the part's own page; on the other pages of an area, "true" on the area's
    first part (the eligibility checker is a part of its own inside the information area).
    """
    endpoints = {part.endpoint for part in PARTS}
    areas_seen: set[str] = set()
    items = []
    for part in PARTS:
        url = part_url(part.endpoint)
        if not url:
            continue
        area = part.endpoint.split(".")[0]
        if request.endpoint == part.endpoint:
            current = "page"
        elif request.blueprint == area and request.endpoint not in endpoints and area not in areas_seen:
            current = "true"
        else:
            current = None
        areas_seen.add(area)
        items.append((part.title, url, current))
    return items


@bp.route("/")
@cached_page
def home():
    return render_template("site/home.html", parts=PARTS, part_url=part_url, communes=communes())


@bp.route("/<any(" + ", ".join(f'"{slug}"' for slug in SITE_PAGES) + "):slug>")
@cached_page
def page(slug: str):
    found = site_page(slug, str(get_locale()))
    if found is None:
        abort(404)
    body = localize_links(found.body, str(get_locale()), current_app.config["PORTAL_SETTINGS"].locales)
    return render_template("site/page.html", page=found, body=body)


@bp.route("/plan-du-site")
def sitemap():
    pages = [site_page(slug, str(get_locale())) for slug in SITE_PAGES]
    return render_template(
        "site/sitemap.html", parts=PARTS, part_url=part_url, pages=[found for found in pages if found]
    )


def root():
    """`/` sends the browser to its language, French by default."""
    response = redirect(url_for("site.home", lang_code=negotiated_locale()))
    response.headers["Vary"] = "Accept-Language"
    return response


@no_rate_limit
def health():
    """For the load balancer: 200 while the database answers, 503 otherwise. Redis is reported too: when
    it is away the pages still work (rate limits are then counted in each process), so the portal is
    "degraded", not down."""
    database = db.is_reachable()
    redis_now = redis_state()
    degraded = redis_now == "unavailable"
    status = ("degraded" if degraded else "ok") if database else "database unavailable"
    body = {"status": status, "database": "ok" if database else "unavailable", "redis": redis_now}
    return body, 200 if database else 503


def redis_state() -> str:
    """ok, unavailable, or not configured (PORTAL_REDIS_URL empty)."""
    url = current_app.config["PORTAL_SETTINGS"].redis_url
    if not url:
        return "not configured"
    client = current_app.extensions.get("portal.redis_health")
    if client is None:
        client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
        current_app.extensions["portal.redis_health"] = client
    try:
        client.ping()
    except redis.RedisError:
        return "unavailable"
    return "ok"


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.context_processor(lambda: {"nav_items": nav_items, "part_url": part_url})
    app.add_url_rule("/", "root", root)
    app.add_url_rule("/healthz", "health", health)
