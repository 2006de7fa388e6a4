"""What tests share besides fixtures: settings, the prepared schema, the app with a page-checking client,
the partners' sign-in. Test modules import from here (and from tests/factories), never from each other or
from a conftest."""

from __future__ import annotations

import datetime as dt
import functools
import os
import pickle
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pyotp
import yaml
from flask.testing import FlaskClient
from flask_babel import force_locale, gettext
from jinja2 import BytecodeCache
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker
from werkzeug.routing import Map, Rule

from portal import clock, content, create_app, migrations
from portal.config import load_settings
from portal.content import territory_tokens
from portal.cotation.dictionary import read_dictionary
from portal.cotation.services import load_grids, stored_grids
from portal.demands import services as demand_services
from portal.demands.chances import rebuild_outcomes
from portal.demands.demo import DEMO_DAY
from portal.demands.demo import generate as generate_demands
from portal.desks.loader import load_desks
from portal.exchange import accounts as exchange_accounts
from portal.information.loader import load_pages
from portal.information.services import reindex
from portal.territory.services import read_territory, sync_communes
from tests.factories.partners import PARTNER_PASSWORD
from tests.pagecheck import check_page, csrf_token

POSTGRES_URL = os.environ.get("PORTAL_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
# Parallel workers (pytest-xdist) each get a Redis database of their own, counting down from the URL's.
_REDIS_BASE = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
REDIS_URL = _REDIS_BASE.rsplit("/", 1)[0] + f"/{int(_REDIS_BASE.rsplit('/', 1)[1]) - _WORKER}"
CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"


def make_settings(tmp_path: Path, **overrides):
    """Testing settings: a throw-away instance folder, no real secret."""
    values = {
        "env": "testing",
        "instance_dir": tmp_path / "instance",
        "secret_key": "test-secret-key",
        "database_url": f"sqlite:///{tmp_path / 'unused.db'}",
        "guides_prerender": False,  # tests that want it say so: printing every guide takes minutes
    }
    values.update(overrides)
    return load_settings(environ={}, **values)


DEMO_LOOKUPS: list[tuple[str, dt.date]] = []  # (number, birth date) of demo demands that can be looked up


@functools.cache
def portal_routes() -> Map:
    """The portal's routes, for checking the links of pages loaded outside an app."""
    return create_app(make_settings(Path(tempfile.mkdtemp(prefix="routes-")))).url_map


def prepare_schema(engine: Engine) -> None:
    """Apply the migrations and load the demo content (communes, pages, search index, grids, 300 demands
    and what past demands became)."""
    migrations.upgrade(engine)
    territory = read_territory(CONTENT_DIR)
    locales = load_settings(environ={}, env="testing", secret_key="x", database_url="sqlite://").locales
    with sessionmaker(engine).begin() as session:
        sync_communes(session, territory)
        load_desks(session, CONTENT_DIR / "desks.yaml")
        load_pages(session, CONTENT_DIR / "pages", locales, set(territory.link_hosts), portal_routes())
        reindex(session, locales, territory_tokens(territory))
        load_grids(session, CONTENT_DIR)
        samples = generate_demands(
            session,
            stored_grids(session, read_dictionary(CONTENT_DIR / "cotation" / "facts.yaml")),
            [item.insee for item in territory.communes],
            300,
            DEMO_DAY,
            None,  # the demonstration grids read no income ceiling
        )
        rebuild_outcomes(session, clock.today())
    DEMO_LOOKUPS[:] = samples


def bind_app_to(app, connection) -> None:
    """Route the app's sessions through the test's connection, so the test's rollback undoes them."""
    app.extensions["portal.db"].sessions = sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


PRODUCTION_LOOKUP_PARAMETERS = demand_services.LOOKUP_PARAMETERS  # before the tests make them cheap


@contextmanager
def shared_yaml_reads() -> Iterator[None]:
    """Every app reads its content files (the dictionary of facts, the territory, the checklists...) at
    start, a quarter of create_app's time, and they do not change during a run: parse each text once and
    give each reader fresh objects of its own (a copy, which a reader may change). A text that does not
    parse is parsed again, and fails again, each time."""
    parsed: dict[str, bytes] = {}
    original = content.load_yaml

    def load_yaml(text: str):
        if text not in parsed:
            parsed[text] = pickle.dumps(original(text))
        return pickle.loads(parsed[text])

    # The modules that imported it already hold their own name for it; those imported later get this one.
    holders = [
        module
        for name, module in list(sys.modules.items())
        if name.partition(".")[0] == "portal" and getattr(module, "load_yaml", None) is original
    ]
    for module in holders:
        module.load_yaml = load_yaml
    try:
        yield
    finally:
        for module in holders:
            module.load_yaml = original


class SharedTemplates(BytecodeCache):
    """Compiled templates shared by every app the tests build: each app compiles the templates it renders
    (tens of milliseconds each, for every test), though the files do not change during a run. Jinja checks
    each template's source against the compiled copy's checksum, so a changed template is compiled again."""

    def __init__(self):
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


SHARED_TEMPLATES = SharedTemplates()
_error_prefixes: dict[tuple, str] = {}  # (translations folder, locale) -> the translated "Error:"


def error_prefix(app, code: str) -> str:
    """The title prefix of an error page in `code`, as the app translates it; read once per run, since
    every app reads the same compiled catalogs (each app would otherwise load every locale's catalog)."""
    key = (app.config.get("BABEL_TRANSLATION_DIRECTORIES"), code)
    if key not in _error_prefixes:
        with app.test_request_context(), force_locale(code):
            _error_prefixes[key] = gettext("Error:")
    return _error_prefixes[key]


def _builder_key(rule: Rule, append_unknown: bool) -> tuple:
    """Everything Werkzeug writes a rule's URL builder from: the rule's parts, its defaults (the values of
    those that fill a part, converted as they would be) and whether unknown arguments are appended."""
    defaults = rule.defaults or {}
    constants = tuple(
        rule._converters[name].to_url(defaults[name])
        for dynamic, name in rule._trace
        if dynamic and name in defaults
    )
    return rule.rule, append_unknown, tuple(rule._trace), tuple(defaults), constants


@contextmanager
def shared_url_builders() -> Iterator[None]:
    """Werkzeug writes two Python functions per URL rule (the builders of url_for), for each of the
    ~150 rules of every app a test builds: half of create_app's time. The same rule gives the same
    function, which takes the rule as its argument: write each once per run and bind it to each rule."""
    written: dict[tuple, object] = {}
    original = Rule._compile_builder

    def compile_builder(rule: Rule, append_unknown: bool = True):
        key = _builder_key(rule, append_unknown)
        if key not in written:
            written[key] = original(rule, append_unknown)
        return written[key]

    Rule._compile_builder = compile_builder
    try:
        yield
    finally:
        Rule._compile_builder = original


class CheckedClient(FlaskClient):
    """A test client that runs the page checker on every HTML page it receives."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        if response.mimetype == "text/html" and not (300 <= response.status_code < 400):
            app = self.application
            locales = app.extensions["portal.locales"]
            check_page(
                response.get_data(as_text=True),
                csp_header=response.headers.get("Content-Security-Policy"),
                rtl_locales={code for code, info in locales.items() if info.rtl},
                error_prefixes={code: error_prefix(app, code) for code in locales},
                link_hosts=app.extensions["portal.territory"].link_hosts,
                host=urlsplit(app.config["PORTAL_SETTINGS"].public_url).hostname,  # the portal's own
            )
        return response


def build_app(tmp_path: Path, connection=None, **overrides):
    app = create_app(make_settings(tmp_path, **overrides))
    app.jinja_env.bytecode_cache = SHARED_TEMPLATES
    app.test_client_class = CheckedClient
    if connection is not None:
        bind_app_to(app, connection)
    return app


def sign_in(client, who, password: str = PARTNER_PASSWORD, *, next_code: bool = False) -> None:
    """Sign the partner `who` in on `client`: the password step, then the code of the account's second
    factor when it has one (`who` a User; an e-mail address for an account without). `next_code` uses the
    code of the next 30-second step, each code being accepted once."""
    email = who if isinstance(who, str) else who.email
    token = csrf_token(client, "/partenaires/connexion")
    client.post("/partenaires/connexion", data={"csrf_token": token, "email": email, "password": password})
    secret = None if isinstance(who, str) else who.totp_secret
    if secret:
        totp = pyotp.TOTP(secret)
        moment = clock.now() + dt.timedelta(seconds=totp.interval if next_code else 0)
        enter_code(client, totp.at(moment))
    assert client.get("/partenaires/").status_code == 200, f"{email} is not signed in"


def sign_in_tenant(client, session, tenant, locale: str = "fr") -> None:
    """Sign a tenant of the swap exchange in on `client`, through a one-time link made for the test."""
    token = exchange_accounts.make_link(session, tenant, "sign_in", clock.now())
    session.commit()
    path = f"/{locale}/echange-de-logement/lien/{token}"
    client.post(path, data={"csrf_token": csrf_token(client, path)})


def enter_code(client, code: str):
    """The second factor's step: the answer to `code`."""
    token = csrf_token(client, "/partenaires/connexion/code")
    return client.post("/partenaires/connexion/code", data={"csrf_token": token, "code": code})


def run_queued(app) -> int:
    """Run what the app's queue holds, as a consumer would (an app made with jobs_immediate=False);
    how many tasks ran."""
    huey = app.extensions["portal.jobs"].huey
    ran = 0
    while (task := huey.dequeue()) is not None:
        huey.execute(task)
        ran += 1
    return ran


LANGUAGE_CRITERIA = [
    {
        "code": "reste",
        "kind": "bands",
        "fact": "reste_par_uc",
        "bands": [{"min": 0, "max": 300, "points": 15}],
    },
    {"code": "separation", "kind": "since", "fact": "separated_on", "points": 30, "months": 12},
    {"code": "tiers", "kind": "condition", "when": "housing_situation == 'with_third_party'", "points": 8},
    {"code": "refus_12", "kind": "events", "fact": "refusal", "points": -10, "months": 12, "cap": 2},
]


def write_language_grid(cotation: Path) -> Path:
    """Into a copy of content/cotation/: the next version of the general grid, in force since February 2026,
    written with the grid language (a computed fact, points that end, a condition on a category,
    refusals from the events, an exclusion, a floor); French and Arabic texts."""
    data = yaml.safe_load((CONTENT_DIR / "cotation" / "general.yaml").read_text(encoding="utf-8"))
    data.update(version=data["version"] + 1, effective_from=dt.date(2026, 2, 1), floor=0)
    data["computed"]["reste_par_uc"] = {
        "expression": "(income / 12 - rent) / consumption_units(household_size, children_under_14)",
        "label": {"fr": "Reste à vivre par unité de consommation", "ar": "الدخل المتبقي لكل وحدة استهلاك"},
    }
    reason = {
        "fr": "Les relogements du renouvellement urbain sont suivis à part.",
        "ar": "تتم متابعة إعادة الإسكان على حدة.",
    }
    data["exclusions"] = [{"code": "anru", "when": "urban_renewal", "reason": reason}]
    for item in LANGUAGE_CRITERIA:
        texts = {"fr": f"Critère {item['code']}", "ar": f"معيار {item['code']}"}
        data["criteria"].append({**item, "label": texts, "explanation": texts})
    path = cotation / "general-language.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path
