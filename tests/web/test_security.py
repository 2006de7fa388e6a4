"""Security headers, word for word; cookies; rate limits in memory and shared through Redis."""

from __future__ import annotations

import re

import pytest

from portal.security import init_rate_limits, rate_limit
from tests.pagecheck import csrf_token
from tests.support import REDIS_URL, build_app


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
    app = build_app(
        tmp_path,
        connection,
        env="production",
        secret_key="x" * 40,
        public_url="https://localhost",
        trusted_hosts=("localhost",),
    )
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
    statuses = [client.get("/fr/plan-du-site").status_code for _ in range(4)]
    response = client.get("/ar/plan-du-site")
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
        first.get("/fr/plan-du-site").status_code,
        second.get("/fr/plan-du-site").status_code,
        first.get("/fr/plan-du-site").status_code,
        second.get("/fr/plan-du-site").status_code,
    ]
    connection.close()
    assert statuses == [200, 200, 200, 429]
    assert redis_client.keys("*portal*"), "the counters live in Redis"


def test_only_the_trusted_hosts_are_answered_port_included(tmp_path, engines):
    connection = engines("sqlite").connect()
    app = build_app(tmp_path, connection, trusted_hosts=("logement.example.org", "interne.example.org:8443"))
    client = app.test_client()
    statuses = {
        host: client.get("/fr/", headers={"Host": host}).status_code
        for host in (
            "logement.example.org",
            "logement.example.org:8080",
            "interne.example.org:8443",
            "interne.example.org",
            "attacker.example",
        )
    }
    connection.close()
    assert statuses == {
        "logement.example.org": 200,
        "logement.example.org:8080": 400,
        "interne.example.org:8443": 200,
        "interne.example.org": 400,
        "attacker.example": 400,
    }


def test_forwarded_hosts_are_never_trusted_and_links_use_the_public_url(tmp_path, engines):
    connection = engines("sqlite").connect()
    app = build_app(tmp_path, connection, proxy_count=1, public_url="https://logement.example.org")
    client = app.test_client()
    page = client.get("/fr/informations", headers={"X-Forwarded-Host": "attacker.example"})
    connection.close()
    body = page.get_data(as_text=True)
    assert "attacker.example" not in body
    assert '<link rel="canonical" href="https://logement.example.org/fr/informations">' in body


def test_the_page_cache_is_the_same_whatever_the_host(tmp_path, engines):
    """Forged hosts neither change a kept page nor add copies of it (800 hosts grew a worker by 21 MB)."""
    connection = engines("sqlite").connect()
    app = build_app(tmp_path, connection)
    client = app.test_client()
    bodies = {
        client.get("/fr/informations", headers={"Host": f"h{index}.example"}).data for index in range(20)
    }
    connection.close()
    assert len(bodies) == 1
    assert len([key for key in app.extensions["portal.page_cache"] if key[0] == "information.index"]) == 1


def test_pages_keep_working_when_redis_is_away_and_health_says_so(tmp_path, engines, caplog):
    connection = engines("sqlite").connect()
    app = build_app(tmp_path, connection, redis_url="redis://127.0.0.1:1/0")
    client = app.test_client()
    pages = [client.get(url).status_code for url in ("/fr/", "/fr/informations", "/fr/guichets")]
    health = client.get("/healthz")
    look_up = client.post(
        "/fr/ma-demande",
        data={
            "csrf_token": csrf_token(client, "/fr/ma-demande"),
            "number": "0729999999999G0101",
            "birth_date": "01/01/1990",
        },
    )
    connection.close()
    assert pages == [200, 200, 200]
    assert health.status_code == 200 and health.json == {
        "status": "degraded",
        "database": "ok",
        "redis": "unavailable",
    }
    assert look_up.status_code == 400, "the look-up answers too (its limits counted in memory meanwhile)"
    assert "falling back to in-memory storage" in caplog.text


def test_health_reports_redis_when_it_answers(tmp_path, engines, redis_client):
    connection = engines("sqlite").connect()
    app = build_app(tmp_path, connection, redis_url=REDIS_URL)
    health = app.test_client().get("/healthz")
    connection.close()
    assert health.json == {"status": "ok", "database": "ok", "redis": "ok"}


def test_pages_served_from_the_cache_have_their_own_wider_limit(tmp_path, engines):
    """Many people behind one address: kept pages get PORTAL_RATELIMIT_CACHED, the others the default."""
    connection = engines("sqlite").connect()
    app = build_app(tmp_path, connection, ratelimit_default="3 per minute", ratelimit_cached="8 per minute")
    client = app.test_client()
    kept = [client.get("/fr/informations").status_code for _ in range(9)]
    other = [client.get("/fr/plan-du-site").status_code for _ in range(4)]
    connection.close()
    assert kept == [200] * 8 + [429]
    assert other == [200] * 3 + [429]


def test_a_queue_that_is_away_never_turns_a_request_into_an_error(tmp_path, engines, caplog):
    """Redis down with the queue on it: "forgotten password" gives its usual answer, the failure is logged."""
    connection = engines("sqlite").connect()
    app = build_app(tmp_path, connection, redis_url="redis://127.0.0.1:1/0", jobs_immediate=False)
    client = app.test_client()
    token = csrf_token(client, "/partenaires/mot-de-passe-oublie")
    response = client.post(
        "/partenaires/mot-de-passe-oublie", data={"csrf_token": token, "email": "quelqu.un@exemple.fr"}
    )
    connection.close()
    assert response.status_code == 302
    assert "not queued" in caplog.text


def test_a_page_rendered_on_demand_counts_against_the_default_limit(tmp_path, engines):
    """A query string skips the page cache: such renders get the strict limit, not the cache's."""
    connection = engines("sqlite").connect()
    app = build_app(tmp_path, connection, ratelimit_default="3 per minute", ratelimit_cached="100 per minute")
    client = app.test_client()
    renders = [client.get(f"/fr/informations?x={index}").status_code for index in range(4)]
    kept = client.get("/fr/informations").status_code
    connection.close()
    assert renders == [200, 200, 200, 429]
    assert kept == 429, "the first kept copy is a render too"
