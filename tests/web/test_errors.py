"""Error pages: translated, without tracebacks; a lost database gives a 503 page and the app recovers."""

from __future__ import annotations

import contextlib
import socket
import threading

import html5lib
import pytest
from flask import abort
from sqlalchemy.engine import make_url

from tests.support import build_app


def h1(response) -> str:
    page = html5lib.parse(response.get_data(as_text=True), namespaceHTMLElements=False)
    return " ".join("".join(page.find(".//h1").itertext()).split())


@pytest.mark.parametrize(
    ("locale", "title"),
    [
        ("fr", "Page introuvable"),
        ("en", "Page not found"),
        ("ar", None),
    ],
)
def test_not_found_page_is_translated(client, locale, title):
    response = client.get(f"/{locale}/cette-page-n-existe-pas")
    assert response.status_code == 404
    if title:
        assert h1(response) == title
    else:
        assert h1(response) != "Page not found"


def test_not_found_outside_a_locale_uses_the_browser_language(client):
    response = client.get("/nulle-part", headers={"Accept-Language": "ar"})
    assert response.status_code == 404
    assert 'lang="ar"' in response.get_data(as_text=True)


@pytest.fixture
def failing_app(tmp_path, engines):
    connection = engines("sqlite").connect()
    app = build_app(tmp_path, connection)

    @app.route("/<locale:lang_code>/test-error/<int:code>")
    def _raise(code: int):
        abort(code)

    @app.route("/<locale:lang_code>/test-crash")
    def _crash():
        raise RuntimeError("boom")

    yield app
    connection.close()


@pytest.mark.parametrize("code", [403, 429, 500, 503])
@pytest.mark.parametrize("locale", ["fr", "en", "ar"])
def test_error_pages_exist_in_every_locale(failing_app, code, locale):
    response = failing_app.test_client().get(f"/{locale}/test-error/{code}")
    assert response.status_code == code
    assert f'lang="{locale}"' in response.get_data(as_text=True)
    assert str(code) in response.get_data(as_text=True)


def test_unexpected_exception_gives_the_500_page_without_traceback(failing_app):
    failing_app.config["PROPAGATE_EXCEPTIONS"] = False
    response = failing_app.test_client().get("/fr/test-crash")
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and "boom" not in text
    assert h1(response) == "Une erreur s'est produite"


def test_form_with_a_bad_csrf_token_is_refused_with_a_clear_page(tmp_path, engines):
    connection = engines("sqlite").connect()
    app = build_app(tmp_path, connection)
    app.config["WTF_CSRF_ENABLED"] = True

    @app.route("/<locale:lang_code>/test-post", methods=["POST"])
    def _post():
        return "saved", 200, {"Content-Type": "text/plain"}

    response = app.test_client().post("/fr/test-post", data={"name": "x"})
    connection.close()
    assert response.status_code == 400
    assert "rien n'a été enregistré" in response.get_data(as_text=True).replace("’", "'")


class TcpProxy:
    """A TCP relay to PostgreSQL that the test can cut and restore, like a network outage."""

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open = True
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.open:
                self._close(client)
                continue
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            TcpProxy._close(source, sink)

    @staticmethod
    def _close(*sockets):
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def cut(self):
        self.open = False
        self._close(*self.sockets)
        self.sockets.clear()

    def restore(self):
        self.open = True

    def close(self):
        self.cut()
        self.listener.close()


def test_database_outage_gives_503_and_the_app_recovers(tmp_path, postgresql_url):
    url = make_url(postgresql_url)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    app = None
    try:
        app = build_app(
            tmp_path,
            database_url=url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False),
        )
        client = app.test_client()
        assert client.get("/fr/guichets").status_code == 200
        proxy.cut()
        response = client.get("/fr/guichets")
        assert response.status_code == 503
        # 60 from the error page, or the rate limiter's own count of the seconds left in its window.
        assert 0 < int(response.headers["Retry-After"]) <= 60
        assert h1(response) == "Service temporairement indisponible"
        assert client.get("/healthz").status_code == 503
        proxy.restore()
        assert client.get("/fr/guichets").status_code == 200
        assert client.get("/healthz").status_code == 200
    finally:
        if app is not None:
            app.extensions["portal.db"].engine.dispose()
        proxy.close()


def test_a_database_bug_is_a_500_not_an_outage(failing_app):
    from sqlalchemy import text

    from portal import db

    @failing_app.route("/<locale:lang_code>/test-bad-query")
    def _bad_query():
        db.session().execute(text("SELECT * FROM no_such_table"))
        return "never"

    failing_app.config["PROPAGATE_EXCEPTIONS"] = False
    response = failing_app.test_client().get("/fr/test-bad-query")
    assert response.status_code == 500


def test_api_errors_answer_in_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.get_json() == {"error": "not found", "status": 404}
    assert response.headers["Access-Control-Allow-Origin"] == "*"
