"""The partners' workspace (/partenaires/): controllers, forms, templates and notifications, one package
per feature (accounts, audit, content, desks, exchange, grids, imports, jobs, library, observatory,
priority, rehousing). The rules and the data are the areas' (portal/partners, portal/information,
portal/desks, portal/cotation, portal/demands, portal/exchange, portal/library, portal/observatory,
portal/priority, portal/rehousing); every view carries one permission rule (permissions.py)."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, Response, request
from jinja2 import ChoiceLoader, FileSystemLoader

from portal.backoffice import blueprint
from portal.backoffice.content import blueprint as content
from portal.backoffice.exchange import blueprint as exchange
from portal.backoffice.grids import blueprint as grids
from portal.backoffice.imports import blueprint as imports
from portal.backoffice.jobs import blueprint as jobs
from portal.backoffice.library import blueprint as library
from portal.backoffice.observatory import blueprint as observatory
from portal.backoffice.presenting import paris_datetime, role_label, switch_language
from portal.backoffice.priority import blueprint as priority
from portal.backoffice.rehousing import blueprint as rehousing
from portal.partners import audit

HERE = Path(__file__).resolve().parent
# The features whose pages are on the workspace's own blueprint: their templates are found through it.
SHARED_BLUEPRINT_FEATURES = ("accounts", "audit", "desks")


def no_store(response: Response) -> Response:
    """Nothing of the workspace is kept by a browser or a proxy (back button after sign-out included)."""
    if request.path.startswith("/partenaires/"):
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response


def init_app(app: Flask) -> None:
    app.before_request(switch_language)
    app.after_request(no_store)
    blueprint.bp.jinja_loader = ChoiceLoader(
        [FileSystemLoader(HERE / feature / "templates") for feature in SHARED_BLUEPRINT_FEATURES]
    )
    app.register_blueprint(blueprint.bp)  # /partenaires/: accounts, audit log, desks
    content.init_app(app)  # /partenaires/contenus: the information pages' review workflow
    exchange.init_app(app)  # /partenaires/echanges: the landlords' side of the dwelling-swap exchange
    grids.init_app(app)  # /partenaires/grilles: the scoring grid editor
    imports.init_app(app)  # /partenaires/donnees: data imports
    jobs.init_app(app)  # /partenaires/travaux: long work and how it goes
    library.init_app(app)  # /partenaires/documents: shared documents and news
    observatory.init_app(app)  # /partenaires/observatoire: the partners' observatory
    priority.init_app(app)  # /partenaires/prioritaires: priority households and the committee
    rehousing.init_app(app)  # /partenaires/relogement: the urban-renewal rehousing follow-up
    app.add_template_filter(role_label, "role_label_filter")
    app.add_template_filter(paris_datetime, "paris_datetime")
    app.add_template_filter(audit.label, "audit_action")
