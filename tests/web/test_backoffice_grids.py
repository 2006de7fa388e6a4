"""The grid editor on both backends: a draft copies the version in force, edits are checked with the grid
files' rules (nothing changed when refused), active versions are read-only, the impact of a draft on a
hand-made set of demands, activation today (rescored at once) or later (rescored by the daily command on
that day), permissions, CSRF and the audit log."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest
from sqlalchemy import delete, func, select

from portal import clock
from portal.cli import cotation as cotation_commands
from portal.cotation import criteria, operations
from portal.cotation.engine import score
from portal.cotation.models import CriterionRecord, GridRecord
from portal.demands.impact import grid_impact
from portal.demands.models import Demand, DemandEvent
from portal.demands.scoring import demand_facts
from portal.partners.models import AuditEntry
from tests.factories.demands import create_demand
from tests.factories.partners import create_organisation, create_partner
from tests.pagecheck import csrf_token, parse, text_of

DAY = dt.date(2026, 12, 15)  # the frozen "today" of these tests
BASE = "/partenaires/grilles"


@pytest.fixture(autouse=True)
def frozen_day(monkeypatch):
    moment = dt.datetime.combine(DAY, dt.time(10, 0), clock.PARIS)
    monkeypatch.setattr(clock, "now", lambda: moment)


@pytest.fixture
def people(db):
    epci = create_organisation(db, "metropole", kind="epci")
    town = create_organisation(db, "ville-a")
    secret = pyotp.random_base32
    return {
        "reviewer": create_partner(db, "relecteur@metropole.fr", {epci: ["reviewer"]}, totp_secret=secret()),
        "epci_editor": create_partner(db, "editeur@metropole.fr", {epci: ["editor"]}),
        "town_admin": create_partner(db, "admin@ville-a.fr", {town: ["admin"]}, totp_secret=secret()),
    }


@pytest.fixture
def client(db_app):
    return db_app.test_client()


def post(client, url: str, data: dict | None = None, page: str | None = None):
    token = csrf_token(client, page or "/partenaires/")
    return client.post(url, data={"csrf_token": token, **(data or {})})


def version(db, code: str, number: int) -> GridRecord | None:
    db.expire_all()
    return operations.find_version(db, code, number)


def actions(db) -> list[str]:
    return list(db.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def draft_of(db, reviewer) -> GridRecord:
    draft = operations.create_draft(db, reviewer, None, "general", DAY)
    db.flush()
    return draft


def state(db) -> tuple:
    """Every grid version with its criteria's rules and texts: what a refused change must leave alone."""
    db.expire_all()
    return tuple(
        (record.code, record.version, record.status, record.effective_from, operations.fingerprint(record))
        for record in operations.versions(db)
    )


def test_a_reviewer_creates_a_draft_that_copies_the_version_in_force(client, people, db, sign_in):
    sign_in(client, people["reviewer"])
    listing = client.get(f"{BASE}/")
    assert listing.status_code == 200
    response = post(client, f"{BASE}/general/nouvelle-version", page=f"{BASE}/")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{BASE}/general/v3")
    old, new = version(db, "general", 2), version(db, "general", 3)
    assert new.status == "draft" and new.effective_from == dt.date(2027, 1, 1), "first day of next month"
    assert [criteria.rules(c) | criteria.texts(c) for c in new.criteria] == [
        criteria.rules(c) | criteria.texts(c) for c in old.criteria
    ]
    assert client.get(f"{BASE}/general/v3").status_code == 200
    assert "grid.draft_created" in actions(db)
    before = state(db)
    assert post(client, f"{BASE}/general/nouvelle-version", page=f"{BASE}/").status_code == 302
    assert state(db) == before, "one draft per grid at a time"


@pytest.mark.parametrize(
    ("criterion", "data", "field"),
    [
        ("taux_effort", {"bands": "30-40 5; 40-50:10", "verification": "declared"}, "bands"),
        ("taux_effort", {"bands": "40-50:10; 30-40:5", "verification": "declared"}, "bands"),
        ("refus", {"points": "-10", "cap": "-1", "verification": "computed"}, "cap"),
        ("anciennete", {"points": "-5", "verification": "computed"}, "points"),
        ("delai_anormal", {"steps": ">=24 10", "verification": "computed"}, "steps"),
        ("dalo", {"points": "beaucoup", "verification": "checked"}, "points"),
    ],
)
def test_a_bad_edit_is_refused_keeps_what_was_typed_and_changes_nothing(
    client, people, db, criterion, data, field, sign_in
):
    draft_of(db, people["reviewer"])
    before = state(db)
    sign_in(client, people["reviewer"])
    url = f"{BASE}/general/v3/criteres/{criterion}"
    page = parse(client.get(url))
    lock = page.find(".//input[@name='lock']").get("value")
    form = {"lock": lock, "label": "Libellé", "explanation": "Explication", **data}
    response = post(client, url, form, page=url)
    assert response.status_code == 400
    tree = parse(response)
    assert tree.find(f".//*[@id='{field}'][@aria-invalid='true']") is not None
    typed = tree.find(f".//*[@id='{field}']")
    assert data[field] in (typed.get("value") or typed.text or ""), "what was typed stays"
    assert tree.find(".//*[@class='error-summary']") is not None
    assert state(db) == before


def test_an_unknown_fact_or_a_kind_that_cannot_read_it_adds_nothing(client, people, db, sign_in):
    draft_of(db, people["reviewer"])
    before = state(db)
    sign_in(client, people["reviewer"])
    url = f"{BASE}/general/v3/criteres/nouveau"
    lock = parse(client.get(url)).find(".//input[@name='lock']").get("value")
    base = {"lock": lock, "code": "astres", "points": "5", "verification": "declared"}
    base |= {"label": "Signe astral", "explanation": "Non."}
    unknown = post(client, url, {**base, "fact": "zodiac", "kind": "flag"}, page=url)
    assert (
        unknown.status_code == 400
        and parse(unknown).find(".//*[@id='fact'][@aria-invalid='true']") is not None
    )
    wrong_kind = post(client, url, {**base, "fact": "dalo", "kind": "per_month"}, page=url)
    assert wrong_kind.status_code == 400
    assert state(db) == before
    good = post(
        client, url, {**base, "code": "logement_indigne", "fact": "eviction", "kind": "flag"}, page=url
    )
    assert good.status_code == 302
    assert [c.code for c in version(db, "general", 3).criteria][-1] == "logement_indigne"
    assert "grid.criterion_added" in actions(db)


def test_the_editor_writes_steps_conditions_scopes_and_fading_points(client, people, db, sign_in):
    draft_of(db, people["reviewer"])
    sign_in(client, people["reviewer"])
    url = f"{BASE}/general/v3/criteres/nouveau"
    lock = parse(client.get(url)).find(".//input[@name='lock']").get("value")
    base = {"lock": lock, "verification": "declared", "label": "Libellé", "explanation": "Explication."}
    bad = post(
        client,
        url,
        {
            **base,
            "code": "separation",
            "fact": "separated_on",
            "kind": "since",
            "points": "30",
            "months": "12",
            "when": "dependants >= 'two'",
        },
        page=url,
    )
    assert bad.status_code == 400 and "cannot compare a count with a text" in bad.get_data(as_text=True)
    assert [c.code for c in version(db, "general", 3).criteria][-1] != "separation", "nothing added"
    good = post(
        client,
        url,
        {
            **base,
            "code": "separation",
            "fact": "separated_on",
            "kind": "since",
            "points": "30",
            "months": "12",
            "when": "dependants >= 1",
            "scope_dwellings": "t3 T4",
        },
        page=url,
    )
    assert good.status_code == 302
    added = version(db, "general", 3).criteria[-1]
    assert (added.code, added.kind, added.points) == ("separation", "since", 30)
    assert added.options == {
        "when": "dependants >= 1",
        "scope": {"dwelling_types": ["T3", "T4"]},
        "months": 12,
    }
    lock = parse(client.get(url)).find(".//input[@name='lock']").get("value")
    steps = post(
        client,
        f"{BASE}/general/v3/criteres/delai_anormal",
        {**base, "lock": lock, "verification": "computed", "steps": ">=24:10; >36:20"},
        page=url,
    )
    assert steps.status_code == 302
    changed = next(c for c in version(db, "general", 3).criteria if c.code == "delai_anormal")
    assert changed.options["steps"] == [{"from": 24, "points": 10}, {"above": 36, "points": 20}]
    page = client.get(f"{BASE}/general/v3").get_data(as_text=True)
    assert "20 points above 36" in page or "20 points au-delà de 36" in page


def test_a_good_edit_is_saved_audited_and_flags_the_translations(client, people, db, sign_in):
    draft_of(db, people["reviewer"])
    sign_in(client, people["reviewer"])
    url = f"{BASE}/general/v3/criteres/dalo"
    page = parse(client.get(url))
    lock = page.find(".//input[@name='lock']").get("value")
    form = {
        "lock": lock,
        "points": "80",
        "verification": "checked",
        "label": "Reconnu prioritaire DALO",
        "explanation": page.find(".//textarea[@id='explanation']").text.strip(),
    }
    assert post(client, url, form, page=url).status_code == 302
    dalo = next(c for c in version(db, "general", 3).criteria if c.code == "dalo")
    assert dalo.points == 80 and dalo.label["fr"] == "Reconnu prioritaire DALO"
    assert dalo.label["en"].startswith("Recognised"), "other locales keep their text"
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "grid.criterion_changed")).one()
    assert entry.before["points"] == 50 and entry.after["points"] == 80
    assert set(entry.after) == {"points", "label_fr"}
    assert (
        parse(client.get(f"{BASE}/general/v3")).find(
            ".//tr[@id='criterion-dalo']//*[@class='tag tag--warning']"
        )
        is not None
    )
    # A save made on the copy shown before that change is refused: nothing changes.
    before = state(db)
    stale = post(client, url, {**form, "points": "90"}, page=url)
    assert stale.status_code == 409
    assert state(db) == before


def test_bands_written_as_text_are_stored_as_the_files_write_them(client, people, db, sign_in):
    draft_of(db, people["reviewer"])
    sign_in(client, people["reviewer"])
    url = f"{BASE}/general/v3/criteres/taux_effort"
    page = parse(client.get(url))
    assert page.find(".//textarea[@id='bands']").text.strip() == "30-40:5; 40-50:10; 50-:15"
    form = {
        "lock": page.find(".//input[@name='lock']").get("value"),
        "bands": "33,5-40:5\n40-70:10\n70-:20",
        "verification": "declared",
        "label": "Taux d'effort",
        "explanation": "Part du revenu.",
    }
    assert post(client, url, form, page=url).status_code == 302
    bands = next(c for c in version(db, "general", 3).criteria if c.code == "taux_effort").bands
    assert bands == [
        {"min": 33.5, "max": 40, "points": 5},
        {"min": 40, "max": 70, "points": 10},
        {"min": 70, "max": None, "points": 20},
    ]


def test_an_active_version_cannot_be_changed(client, people, db, sign_in):
    sign_in(client, people["reviewer"])
    before = state(db)
    assert client.get(f"{BASE}/general/v2/criteres/dalo").status_code == 409
    lock = operations.fingerprint(version(db, "general", 2))
    data = {"lock": lock, "points": "1", "verification": "checked", "label": "x", "explanation": "y"}
    assert post(client, f"{BASE}/general/v2/criteres/dalo", data).status_code == 409
    assert post(client, f"{BASE}/general/v2/criteres/dalo/supprimer", {"lock": lock}).status_code == 409
    assert (
        post(client, f"{BASE}/general/v2/activer", {"lock": lock, "effective_from": "2027-01-01"}).status_code
        == 409
    )
    assert state(db) == before
    with pytest.raises(operations.GridRefused):
        operations.change_criterion(
            db, people["reviewer"], None, version(db, "general", 2), "dalo", {"points": 1}
        )


def demand(db, filed_on, facts=None, dwelling="T2", commune="72181", mutation=False, status="active"):
    """A demand whose declared facts were all checked."""
    return create_demand(
        db, filed_on, commune, dwelling, status=status, mutation=mutation, facts=facts, checked=facts or {}
    )


@pytest.fixture
def hand_made(db):
    """Five active general demands whose scores are worked out by hand (below), and two left out."""
    db.execute(delete(DemandEvent))
    db.execute(delete(Demand))
    made = {
        "a": demand(db, dt.date(2026, 2, 15)),  # 10 months: 10 points, before and after
        "b": demand(db, dt.date(2026, 11, 15), {"dalo": True}),  # 1 + 50 before, 1 + 10 after
        "c": demand(db, dt.date(2026, 6, 15), {"pdalhpd": True}),  # 6 + 40 = 46 both
        "d": demand(db, dt.date(2026, 9, 15)),  # 3 both
        "e": demand(db, dt.date(2026, 12, 1), {"dalo": True}, dwelling="T3", commune="72003"),  # 50 -> 10
        "mutation": demand(db, dt.date(2026, 1, 1), {"dalo": True}, mutation=True),
        "allocated": demand(db, dt.date(2026, 1, 1), {"dalo": True}, status="allocated"),
    }
    db.flush()
    return made


def lower_dalo(db, reviewer) -> GridRecord:
    draft = draft_of(db, reviewer)
    operations.change_criterion(db, reviewer, None, draft, "dalo", {"points": 10})
    db.flush()
    return draft


def test_the_impact_of_a_draft_on_demands_scored_by_hand(db, people, hand_made):
    impact = grid_impact(db, operations.grid_file(lower_dalo(db, people["reviewer"])), DAY, None)
    assert impact.demands == 5
    # Before: a 10, b 51, c 46, d 3, e 50; after: a 10, b 11, c 46, d 3, e 10.
    assert impact.bands == [(0, 1, 1), (10, 1, 3), (40, 1, 1), (50, 2, 0)]
    # Queue T2 in Le Mans: b, c, a, d before; c, b, a, d after: c up, b down. e is alone in its queue.
    assert (impact.up, impact.down, impact.same) == (1, 1, 3)
    assert (impact.raised, impact.lowered) == (0, 2)
    assert (impact.mean_before, impact.mean_after, impact.mean_change) == (32, 16, -16)
    assert (impact.median_before, impact.median_after, impact.median_change) == (46, 10, 0)
    first = impact.segments[0]
    assert (first.dwelling_type, first.commune_insee, first.demands, first.up, first.down) == (
        "T2",
        "72181",
        4,
        1,
        1,
    )
    assert impact.segment_count == 2


def impact_page(client, url: str):
    """Start the impact's computation (a job, run at once in the tests), then read the impact page."""
    token = parse(client.get(url)).find(".//form[@id='impact-start']//input[@name='csrf_token']").get("value")
    started = client.post(url, data={"csrf_token": token})
    assert started.status_code == 302 and "/partenaires/travaux/" in started.headers["Location"]
    job = parse(client.get(started.headers["Location"]))
    assert job.find(".//p[@id='job-result']/a").get("href") == url
    return client.get(url)


def test_the_impact_page_shows_the_figures_and_a_chart(client, db, people, hand_made, sign_in):
    lower_dalo(db, people["reviewer"])
    sign_in(client, people["reviewer"])
    response = impact_page(client, f"{BASE}/general/v3/impact")
    assert response.status_code == 200
    page = parse(response)
    assert text_of(page.find(".//*[@id='impact-up']")) == "1"
    assert text_of(page.find(".//*[@id='impact-down']")) == "1"
    assert len(page.findall(".//table[@id='impact-bands']/tbody/tr")) == 4
    charts = [element for element in page.iter() if str(element.tag).endswith("svg")]
    assert len(charts) == 1 and charts[0].get("role") == "img" and charts[0].get("aria-labelledby")
    bars = [element for element in charts[0].iter() if str(element.tag).endswith("rect")]
    assert len(bars) == 8, "two bars a score band"
    assert len(page.findall(".//table[@id='impact-segments']/tbody/tr")) == 2


def test_the_impact_is_kept_until_the_draft_or_the_demands_change(
    client, db, people, hand_made, monkeypatch, sign_in
):
    from portal.demands import jobs as grid_jobs

    computed = []
    monkeypatch.setattr(
        grid_jobs, "grid_impact", lambda *args, **kw: computed.append(1) or grid_impact(*args, **kw)
    )
    draft = lower_dalo(db, people["reviewer"])
    sign_in(client, people["reviewer"])
    url = f"{BASE}/general/v3/impact"
    first = impact_page(client, url)
    again = client.get(url)
    assert len(computed) == 1, "the second reading is the kept one"
    assert text_of(parse(again).find(".//*[@id='impact-up']")) == text_of(
        parse(first).find(".//*[@id='impact-up']")
    )
    operations.change_criterion(db, people["reviewer"], None, draft, "dalo", {"points": 20})
    db.flush()
    assert parse(client.get(url)).find(".//form[@id='impact-start']") is not None, "a changed draft"
    impact_page(client, url)
    assert len(computed) == 2, "is computed again"
    db.execute(delete(Demand).where(Demand.id == db.scalar(select(func.max(Demand.id)))))
    db.flush()
    impact_page(client, url)
    assert len(computed) == 3, "so are changed demands"


def test_activating_today_retires_the_old_version_and_rescores_every_demand(
    client, db, people, hand_made, sign_in
):
    draft = lower_dalo(db, people["reviewer"])
    sign_in(client, people["reviewer"])
    page = f"{BASE}/general/v3"
    lock = parse(client.get(page)).find(".//input[@name='lock']").get("value")
    response = post(client, f"{page}/activer", {"lock": lock, "effective_from": DAY.isoformat()}, page=page)
    assert response.status_code == 302
    assert version(db, "general", 3).status == "active" and version(db, "general", 2).status == "retired"
    totals = {
        made.number: made.score_total
        for made in db.scalars(select(Demand).where(Demand.status == "active", Demand.mutation.is_(False)))
    }
    assert sorted(totals.values()) == [3, 10, 10, 11, 46]
    grid = operations.grid_file(version(db, "general", 3)).grid
    for made in db.scalars(select(Demand).where(Demand.status == "active", Demand.mutation.is_(False))):
        assert made.grid_version == draft.version and made.scored_on == DAY
        assert made.score_total == score(demand_facts(made), grid, DAY).total
    assert {"grid.activated", "grid.retired", "grid.rescored"} <= set(actions(db))
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "grid.activated")).one()
    assert entry.before["status"] == "draft" and entry.after == {
        "status": "active",
        "effective_from": "2026-12-15",
    }


def test_a_date_in_the_past_is_refused(client, db, people, sign_in):
    draft_of(db, people["reviewer"])
    sign_in(client, people["reviewer"])
    before = state(db)
    page = f"{BASE}/general/v3"
    lock = parse(client.get(page)).find(".//input[@name='lock']").get("value")
    response = post(client, f"{page}/activer", {"lock": lock, "effective_from": "2026-12-14"}, page=page)
    assert response.status_code == 400
    assert parse(response).find(".//*[@id='effective_from'][@aria-invalid='true']") is not None
    assert state(db) == before


def test_a_later_activation_rescores_nothing_until_the_daily_command_runs_that_day(
    db_app, client, db, people, hand_made, monkeypatch
):
    draft = lower_dalo(db, people["reviewer"])
    later = DAY + dt.timedelta(days=5)
    operations.activate(db, people["reviewer"], None, draft, later, DAY)
    runner = db_app.test_cli_runner()

    def command(name: str):
        return runner.invoke(cotation_commands.cotation_group, [name])

    result = command("recompute")  # the daily full recompute: the old grid still rules
    assert result.exit_code == 0, result.output
    scored_with = lambda: set(  # noqa: E731
        db.scalars(select(Demand.grid_version).where(Demand.status == "active", Demand.mutation.is_(False)))
    )
    db.expire_all()
    assert scored_with() == {2}
    assert "No grid version takes effect" in command("activate-due").output
    assert version(db, "general", 2).status == "active"
    moment = dt.datetime.combine(later, dt.time(0, 30), clock.PARIS)
    monkeypatch.setattr(clock, "now", lambda: moment)
    result = command("activate-due")
    assert result.exit_code == 0 and "general v3" in result.output, result.output
    db.expire_all()
    assert scored_with() == {3}
    assert version(db, "general", 2).status == "retired"
    assert "grid.took_effect" in actions(db)
    assert "No grid version takes effect" in command("activate-due").output, "once"


def test_other_partners_cannot_draft_edit_or_activate(client, db, people, sign_in):
    draft_of(db, people["reviewer"])
    before = state(db)
    assert client.get(f"{BASE}/").headers["Location"].startswith("/partenaires/connexion")
    sign_in(client, people["town_admin"])
    assert client.get(f"{BASE}/").status_code == 403
    assert client.get(f"{BASE}/general/v3").status_code == 403
    assert post(client, f"{BASE}/general/nouvelle-version").status_code == 403
    client.post("/partenaires/deconnexion", data={"csrf_token": csrf_token(client, "/partenaires/")})
    sign_in(client, people["epci_editor"])
    assert client.get(f"{BASE}/").status_code == 200, "EPCI editors read the grids"
    assert client.get(f"{BASE}/general/v3").status_code == 200
    lock = operations.fingerprint(version(db, "mutation", 1))
    for url, data in [
        (f"{BASE}/mutation/nouvelle-version", {}),
        (f"{BASE}/general/v3/criteres/dalo", {"points": "1", "verification": "checked"}),
        (f"{BASE}/general/v3/criteres/dalo/supprimer", {"lock": lock}),
        (f"{BASE}/general/v3/activer", {"effective_from": DAY.isoformat()}),
    ]:
        assert post(client, url, data).status_code == 403, url
    assert client.get(f"{BASE}/general/v3/impact").status_code == 403
    links = [a.get("href") for a in parse(client.get("/partenaires/")).iter("a")]
    assert f"{BASE}/" not in links, "the dashboard links reviewers only"
    assert state(db) == before
    assert (
        db.scalar(select(func.count()).select_from(CriterionRecord).where(CriterionRecord.code == "x")) == 0
    )


def test_a_change_without_its_csrf_token_is_refused(client, db, people, sign_in):
    sign_in(client, people["reviewer"])
    before = state(db)
    assert client.post(f"{BASE}/general/nouvelle-version").status_code == 400
    assert state(db) == before


def test_the_dashboard_links_reviewers_to_the_grids(client, people, sign_in):
    sign_in(client, people["reviewer"])
    links = [a.get("href") for a in parse(client.get("/partenaires/")).iter("a")]
    assert f"{BASE}/" in links


def test_the_rules_of_a_draft_are_written_checked_and_audited(client, people, db, sign_in):
    draft_of(db, people["reviewer"])
    sign_in(client, people["reviewer"])
    url = f"{BASE}/general/v3/regles"
    page = parse(client.get(url))
    lock = page.find(".//input[@name='lock']").get("value")
    computed = page.find(".//textarea[@name='computed']").text or ""
    assert (
        "months_waiting = months_since(filed_on) | Mois d'attente depuis le dépôt de la demande" in computed
    )
    before = state(db)
    cycle = {
        "lock": lock,
        "computed": computed + "\na = b + 1 | A\nb = a * 2 | B",
        "ties": "filed_on",
    }
    refused = post(client, url, cycle, page=url)
    assert refused.status_code == 400 and "form a cycle" in refused.get_data(as_text=True)
    assert "b = a * 2 | B" in (parse(refused).find(".//textarea[@name='computed']").text or ""), "kept"
    malformed = post(client, url, {"lock": lock, "computed": "a := 1", "ties": "filed_on"}, page=url)
    assert malformed.status_code == 400
    assert parse(malformed).find(".//*[@id='computed'][@aria-invalid='true']") is not None
    assert state(db) == before and version(db, "general", 3).rules == version(db, "general", 2).rules
    good = {
        "lock": lock,
        "computed": computed + "\nrent_ratio = 100 * rent * 12 / income | Taux d'effort",
        "floor": "0",
        "ceiling": "400",
        "ties": "filed_on, household_size desc",
        "exclusions": "anru: urban_renewal | Relogement du renouvellement urbain, suivi à part.",
    }
    assert post(client, url, good, page=url).status_code == 302
    rules = version(db, "general", 3).rules
    assert [item["name"] for item in rules["computed"]] == [
        "months_waiting",
        "surface_minimale",
        "rent_ratio",
    ]
    assert rules["computed"][0]["label"]["ar"], "an unchanged label keeps its translations"
    assert (rules["floor"], rules["ceiling"]) == (0, 400)
    assert rules["ties"][1] == {"fact": "household_size", "order": "descending"}
    assert rules["exclusions"][0]["code"] == "anru"
    assert "grid.rules_changed" in actions(db)
    shown = text_of(parse(client.get(f"{BASE}/general/v3")).find(".//main"))
    assert "Relogement du renouvellement urbain, suivi à part." in shown and "rent_ratio" in shown
    active = post(client, f"{BASE}/general/v2/regles", good, page=url)
    assert active.status_code == 409, "an active version's rules do not change"
