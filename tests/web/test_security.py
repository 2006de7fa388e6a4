"""Security headers, word for word; cookies; rate limits in memory and shared through Redis."""

from __future__ import annotations

import re

import pytest

from portal.security import init_rate_limits, rate_limit
from tests.conftest import REDIS_URL, build_app


def test_security_headers_are_set_on_every_response(client):
    for url in ("/fr/", "/fr/nulle-part", "/theme.css", "/static/css/portal.css"):
        with client.get(url) as response:
            headers = response.headers
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert headers["Permissions-Policy"] == (
            "geolocation=(self), camera=(), microphone=(), payment=(), usb=(), "
            "accelerometer=(), gyroscope=(), magnetometer=(), interest-cohort=()"
        )
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in headers


def test_content_security_policy_uses_a_fresh_nonce_and_no_unsafe_inline(client):
    policies = [client.get("/fr/").headers["Content-Security-Policy"] for _ in range(2)]
    nonce = re.search(r"'nonce-([^']+)'", policies[0]).group(1)
    assert policies[0] == (
        "default-src 'self'; "
        f"script-src 'self' 'nonce-{nonce}'; "
        "style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    )
    assert policies[0] != policies[1]
    assert "unsafe-inline" not in policies[0]


def test_production_adds_hsts_and_secure_cookies(tmp_path, engines):
    connection = engines("sqlite").connect()
    app = build_app(tmp_path, connection, env="production", secret_key="x" * 40)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-session"

    @app.route("/set-session")
    def _set_session():
        from flask import session

        session["seen"] = True
        return "ok", 200, {"Content-Type": "text/plain"}

    client = app.test_client()
    assert client.get("/fr/").headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains"
    cookie = client.get("/set-session", base_url="https://localhost").headers["Set-Cookie"]
    connection.close()
    assert cookie.startswith("__Host-session=")
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_too_many_requests_get_a_translated_429_page(tmp_path, engines):
    connection = engines("sqlite").connect()
    app = build_app(tmp_path, connection, ratelimit_default="3 per minute")
    client = app.test_client()
    statuses = [client.get("/fr/mentions-legales").status_code for _ in range(4)]
    response = client.get("/ar/mentions-legales")
    connection.close()
    assert statuses == [200, 200, 200, 429]
    assert response.status_code == 429
    assert 'lang="ar"' in response.get_data(as_text=True)
    assert "Retry-After" in response.headers


def test_a_view_can_declare_its_own_limit(app):
    @rate_limit("2 per minute")
    def lookup():
        return "looked up", 200, {"Content-Type": "text/plain"}

    app.add_url_rule("/lookup", "lookup", lookup)
    init_rate_limits(app)
    client = app.test_client()
    assert [client.get("/lookup").status_code for _ in range(3)] == [200, 200, 429]
    assert client.get("/fr/").status_code == 200, "the view's limit is its own"


def test_health_check_and_theme_are_never_rate_limited(tmp_path, engines):
    connection = engines("sqlite").connect()
    app = build_app(tmp_path, connection, ratelimit_default="2 per minute")
    client = app.test_client()
    statuses = {client.get(url).status_code for url in ("/healthz", "/theme.css") * 5}
    connection.close()
    assert statuses == {200}


@pytest.fixture
def redis_client():
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.fail(
            f"Redis is not reachable at {REDIS_URL}: start it or set PORTAL_TEST_REDIS_URL", pytrace=False
        )
    client.flushdb()  # the test URL names a database of its own (15 by default)
    yield client
    client.flushdb()


def test_redis_storage_shares_the_limit_between_app_servers(tmp_path, engines, redis_client):
    """Two app servers on one Redis count one visitor's requests together."""
    connection = engines("sqlite").connect()
    apps = [
        build_app(tmp_path / str(index), connection, redis_url=REDIS_URL, ratelimit_default="3 per minute")
        for index in range(2)
    ]
    first, second = (app.test_client() for app in apps)
    statuses = [
        first.get("/fr/").status_code,
        second.get("/fr/").status_code,
        first.get("/fr/").status_code,
        second.get("/fr/").status_code,
    ]
    connection.close()
    assert statuses == [200, 200, 200, 429]
    assert redis_client.keys("*portal*"), "the counters live in Redis"
