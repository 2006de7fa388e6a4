"""The demander portal: public information, desks, score and guides, and the partners' workspace."""

from __future__ import annotations

import logging

from flask import Flask

from portal.config import PROJECT_ROOT, Settings, load_settings


def create_app(settings: Settings | None = None) -> Flask:
    """Build the application; each step is one init_* call, in the order they depend on each other."""
    settings = settings or load_settings()
    app = Flask(
        __name__,
        instance_path=str(settings.instance_dir),
        static_folder=str(PROJECT_ROOT / "static"),
        static_url_path="/static",
    )
    app.config.update(settings.flask_config())

    from portal import backoffice, db, errors, i18n, jobs, openapi, security, urls
    from portal.cotation import views as cotation_views
    from portal.demands import reminder_views
    from portal.demands import views as demands_views
    from portal.desks import api as desks_api
    from portal.desks import views as desks_views
    from portal.exchange import factor_views as exchange_factor_views
    from portal.exchange import message_views as exchange_message_views
    from portal.exchange import photo_views as exchange_photo_views
    from portal.exchange import swap_views as exchange_swap_views
    from portal.exchange import views as exchange_views
    from portal.exchange import wish_views as exchange_wish_views
    from portal.guides import views as guides_views
    from portal.information import views as information_views
    from portal.library import views as library_views
    from portal.observatory import jobs as observatory_jobs
    from portal.observatory import views as observatory_views
    from portal.site import views as site_views
    from portal.territory import services as territory
    from portal.ui import views as ui_views

    init_logging(app, settings)
    territory.init_app(app)
    db.init_app(app)
    jobs.init_app(app)
    i18n.init_app(app)
    urls.init_app(app)
    security.init_app(app)
    ui_views.init_app(app)
    site_views.init_app(app)
    information_views.init_app(app)
    desks_views.init_app(app)
    cotation_views.init_app(app)
    demands_views.init_app(app)
    reminder_views.init_app(app)
    exchange_views.init_app(app)
    exchange_swap_views.init_app(app)
    exchange_photo_views.init_app(app)
    exchange_message_views.init_app(app)
    exchange_wish_views.init_app(app)
    exchange_factor_views.init_app(app)
    guides_views.init_app(app)
    observatory_views.init_app(app)
    observatory_jobs.connect_events()
    backoffice.init_app(app)
    library_views.init_app(app)
    desks_api.init_app(app)
    openapi.init_app(app)
    errors.init_app(app)
    security.init_rate_limits(app)
    return app


def init_logging(app: Flask, settings: Settings) -> None:
    """Plain logs on stderr; request logs carry no personal data (no query strings, no bodies)."""
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app.logger.setLevel(settings.log_level)
    # WeasyPrint (and fontTools under it) report each step at INFO: dozens of lines per guide.
    quiet = max(logging.WARNING, logging.getLevelName(settings.log_level))
    for noisy in ("weasyprint.progress", "fontTools"):
        logging.getLogger(noisy).setLevel(quiet)
    if settings.env == "production":
        for missing, consequence in (
            (not settings.redis_url, "PORTAL_REDIS_URL is empty: each worker counts rate limits on its own"),
            (
                not settings.proxy_count,
                "PORTAL_PROXY_COUNT is 0: behind a proxy, every visitor shares one limit",
            ),
            (not settings.trusted_hosts, "PORTAL_TRUSTED_HOSTS is empty: any Host header is accepted"),
        ):
            if missing:
                app.logger.warning(consequence)
