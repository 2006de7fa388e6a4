"""Public pages kept as HTML until the published content changes, and the limit they get.

A page served from this cache costs a fraction of a millisecond, so many people behind one address (a
mobile carrier, a desk's or a social service's network) must not be refused: kept pages get their own
limit per address, PORTAL_RATELIMIT_CACHED, set from what one server bears (bench/public_load.py), while
look-ups, sign-in, statements and guides keep their strict limits.
"""

from __future__ import annotations

from functools import wraps

from flask import abort, current_app, g, request, session
from flask_babel import get_locale
from flask_limiter.util import get_remote_address

from portal import db
from portal.revision import published_stamp
from portal.security import consume, rate_limit

PAGE_CACHE_SIZE = 4096


def page_cache() -> dict[tuple, str]:
    """This app's kept pages (one app per process in production; tests make many apps)."""
    return current_app.extensions.setdefault("portal.page_cache", {})


def cached_limit() -> str:
    return current_app.config["PORTAL_SETTINGS"].ratelimit_cached


def cached_page(view):
    """Keep the page's HTML until the published content changes.

    Only pages that used no per-response secret are kept: no CSP nonce (no script), no CSRF token
    (no form that posts), no query string, no cookie set. The key is never the Host header: links in the
    page come from PORTAL_PUBLIC_URL, and forged hosts must not fill the cache with copies.
    """

    def rendered(kwargs):
        """A page rendered now (a query string, or not kept yet) counts against the default limit too:
        the wide limit is for what the cache serves, not for renders."""
        default = current_app.config["PORTAL_SETTINGS"].ratelimit_default
        if not consume(default, "rendered-page", get_remote_address()):
            abort(429)
        return view(**kwargs)

    @wraps(view)
    def wrapper(**kwargs):
        if request.args:
            return rendered(kwargs)
        key = (
            request.endpoint,
            str(get_locale()),
            tuple(sorted(kwargs.items())),
            published_stamp(db.session()),
        )
        kept_pages = page_cache()
        kept = kept_pages.get(key)
        if kept is not None:
            return kept
        html = rendered(kwargs)
        if isinstance(html, str) and "csp_nonce" not in g and "csrf_token" not in g and not session.modified:
            if len(kept_pages) >= PAGE_CACHE_SIZE:
                kept_pages.clear()
            kept_pages[key] = html
        return html

    return rate_limit(cached_limit)(wrapper)
