"""Every route of the partners' workspace carries one permission rule, and the rule holds: a signed-out
visitor is sent to the sign-in page, a partner without the roles a rule names gets 403, for every route
and method (new routes are checked without being listed here)."""

from __future__ import annotations

import re

import pytest
from werkzeug.routing import AnyConverter, IntegerConverter

from tests.factories.partners import create_organisation, create_partner
from tests.pagecheck import csrf_token

OPEN_RULES = {"public", "password checked", "signed in"}  # the rules that name no role


def workspace_routes(app) -> list[tuple[str, str, str]]:
    """(URL, method, rule) for every route under /partenaires and each of its methods; the URL's
    variables filled with values the routing accepts (the organisation: ville-b)."""
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/partenaires"):
            continue
        values = {}
        for name, converter in rule._converters.items():
            if isinstance(converter, IntegerConverter):
                values[name] = 1
            elif isinstance(converter, AnyConverter):
                values[name] = sorted(converter.items)[0]
            else:
                values[name] = "ville-b" if name == "slug" else "fr"
        url = app.url_map.bind("localhost").build(rule.endpoint, values)
        permission = getattr(app.view_functions[rule.endpoint], "permission", None)
        for method in sorted(rule.methods & {"GET", "POST"}):
            routes.append((url, method, permission))
    return routes


def ask(client, url: str, method: str):
    if method == "GET":
        return client.get(url)
    return client.post(url, data={"csrf_token": csrf_token(client, "/partenaires/connexion")})


@pytest.fixture
def organisations(db):
    town = create_organisation(db, "ville-a")
    create_organisation(db, "ville-b")
    create_organisation(db, "metropole", kind="epci")
    create_partner(db, "lecteur@ville-a.fr", {town: ["viewer"]})


def test_every_workspace_route_has_a_permission_rule(db_app):
    routes = workspace_routes(db_app)
    assert len(routes) >= 60
    assert [url for url, _method, permission in routes if not permission] == []


def test_a_signed_out_visitor_is_sent_to_the_sign_in_page_from_every_route(db_app, db, organisations):
    client = db_app.test_client()
    for url, method, permission in workspace_routes(db_app):
        if permission == "public":
            continue
        response = ask(client, url, method)
        assert response.status_code == 302, (method, url, response.status_code)
        assert response.headers["Location"].startswith("/partenaires/connexion"), (method, url)


def test_a_partner_without_the_roles_gets_403_from_every_route_that_names_roles(
    db_app, db, organisations, sign_in
):
    """A viewer of ville-a: no rule names that role, so every route with a role rule refuses, for their
    own organisation's pages and another's."""
    client = db_app.test_client()
    sign_in(client, "lecteur@ville-a.fr")
    checked = 0
    for url, method, permission in workspace_routes(db_app):
        if permission in OPEN_RULES:
            continue
        assert not re.search(r"\bviewer\b", permission), permission
        for address in {url, url.replace("/ville-b", "/ville-a")}:
            response = ask(client, address, method)
            assert response.status_code == 403, (method, address, permission, response.status_code)
            checked += 1
    assert checked >= 50
