"""Security baseline: headers with a per-request CSP nonce, CSRF, rate limiter, proxy trust."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect
from limits import parse_many
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from werkzeug.middleware.proxy_fix import ProxyFix

log = logging.getLogger(__name__)

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


class TrustedHosts:
    """WSGI middleware: a plain 400 for a Host header (name *and* port) the portal does not answer to.

    An entry without a port accepts the name alone, as browsers send it on the scheme's default port;
    `host:port` accepts exactly that. X-Forwarded-Host is never read (see init_app), so a forged header
    cannot put another address in a link: absolute links come from PORTAL_PUBLIC_URL anyway.
    """

    def __init__(self, wsgi_app, hosts: tuple[str, ...]):
        self.wsgi_app = wsgi_app
        self.hosts = {host.lower() for host in hosts}

    def allows(self, host: str) -> bool:
        return host.lower() in self.hosts

    def __call__(self, environ, start_response):
        if not self.allows(environ.get("HTTP_HOST", "")):
            start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"Unknown host\n"]
        return self.wsgi_app(environ, start_response)


def init_app(app: Flask) -> None:
    settings = app.config["PORTAL_SETTINGS"]
    if settings.proxy_count:
        # The client's address and scheme come from the proxies; the host never does.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.proxy_count, x_proto=settings.proxy_count)
    if settings.trusted_hosts:
        app.wsgi_app = TrustedHosts(app.wsgi_app, settings.trusted_hosts)
    csrf.init_app(app)
    # One limiter per app: its storage (memory, or Redis shared by every app server) is the app's own.
    app.extensions["portal.limiter"] = Limiter(get_remote_address, app=app)
    app.extensions["portal.limiter_fallback"] = MovingWindowRateLimiter(MemoryStorage())
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


def consume(limit: str, *identifiers: str) -> bool:
    """Count one hit of a limit whose key a view knows only once its form is valid (the number looked up,
    the demand of a session); False when the limit is reached. Redis away: counted in this process."""
    limiter: Limiter = current_app.extensions["portal.limiter"]
    if not limiter.enabled:
        return True
    items = parse_many(limit)
    try:
        return all([limiter.limiter.hit(item, "portal", *identifiers) for item in items])
    except Exception:  # the storage is unreachable: the same limits, kept in memory meanwhile
        log.warning("rate limit storage unreachable: counting %s in memory", identifiers[:1])
        fallback = current_app.extensions["portal.limiter_fallback"]
        return all([fallback.hit(item, "portal", *identifiers) for item in items])


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
