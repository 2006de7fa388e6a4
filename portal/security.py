"""Security baseline: headers with a per-request CSP nonce, CSRF, rate limiter, proxy trust."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Flask, Response, g
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

csrf = CSRFProtect()

PERMISSIONS_POLICY = (
    "geolocation=(self), camera=(), microphone=(), payment=(), usb=(), "
    "accelerometer=(), gyroscope=(), magnetometer=(), interest-cohort=()"
)


def content_security_policy(nonce: str, image_hosts: tuple[str, ...] = ()) -> str:
    """Only the portal's own host (and the map's tile server, when one is set); scripts need the nonce;
    no inline style, no framing."""
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self'",
            " ".join(("img-src 'self' data:", *image_hosts)),
            "font-src 'self'",
            "connect-src 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "object-src 'none'",
        ]
    )


def csp_nonce() -> str:
    """The nonce of this response, made on first use; templates call it for every <script>."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def init_app(app: Flask) -> None:
    settings = app.config["PORTAL_SETTINGS"]
    if settings.proxy_count:
        app.wsgi_app = ProxyFix(
            app.wsgi_app,
            x_for=settings.proxy_count,
            x_proto=settings.proxy_count,
            x_host=settings.proxy_count,
        )
    csrf.init_app(app)
    # One limiter per app: its storage (memory, or Redis shared by every app server) is the app's own.
    app.extensions["portal.limiter"] = Limiter(get_remote_address, app=app)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    production = settings.env == "production"
    tiles = urlsplit(settings.map_tiles_url)
    image_hosts = (f"{tiles.scheme}://{tiles.netloc}",) if tiles.netloc else ()

    @app.after_request
    def _security_headers(response: Response) -> Response:
        headers = response.headers
        headers["Content-Security-Policy"] = content_security_policy(csp_nonce(), image_hosts)
        headers["X-Content-Type-Options"] = "nosniff"
        headers["X-Frame-Options"] = "DENY"
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        headers["Permissions-Policy"] = PERMISSIONS_POLICY
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Cross-Origin-Resource-Policy"] = "same-origin"
        if production:
            headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
        return response


def rate_limit(
    limit: str, key: Callable[[], str] | None = None, methods: list[str] | None = None
) -> Callable:
    """Mark a view with a limit of its own (e.g. "10 per minute"), counted per client address unless
    `key` says what to count by, for the given methods only; applied by init_rate_limits. Stackable."""

    def mark(view: Callable) -> Callable:
        view.rate_limits = [*getattr(view, "rate_limits", []), (limit, key, methods)]
        return view

    return mark


def no_rate_limit(view: Callable) -> Callable:
    """Mark a view that the default limit must not count (health checks, the theme stylesheet)."""
    view.rate_limit_exempt = True
    return view


def init_rate_limits(app: Flask) -> None:
    """Apply what views declared with @rate_limit / @no_rate_limit; runs after every blueprint."""
    limiter: Limiter = app.extensions["portal.limiter"]
    for endpoint, view in list(app.view_functions.items()):
        if getattr(view, "rate_limit_exempt", False):
            app.view_functions[endpoint] = limiter.exempt(view)
        else:
            for limit, key, methods in getattr(view, "rate_limits", []):
                view = limiter.limit(limit, key_func=key, methods=methods)(view)
            app.view_functions[endpoint] = view
