"""The partners' observatory in Chromium, in French and Arabic, on a phone and a desktop: the page, then
filters applied and a refused period; axe on every page and no sideways scrolling."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from portal import clock
from portal.db import make_engine
from portal.demands.models import Allocation, Demand, DemandEvent, HousingStock
from portal.territory.models import Commune
from tests.browser.support import check, serving, sign_in, size_of
from tests.factories.partners import create_organisation, create_partner


def add_figures(session) -> None:
    """Allocations of T3 dwellings in the last months in two communes, and a stock count, so that every
    chart and table has bars and rows."""
    today = clock.today()
    insees = list(session.scalars(select(Commune.insee).order_by(Commune.insee).limit(2)))
    for index in range(12):
        insee = insees[index % 2]
        number = f"{index:013d}BRWS1"
        filed = today - dt.timedelta(days=500 + 20 * index)
        allocated = today - dt.timedelta(days=30 + 10 * index)
        demand = Demand(
            number=number,
            lookup_hash="x",
            filed_on=filed,
            expires_on=filed + dt.timedelta(days=365),
            status="allocated",
            mutation=index % 3 == 0,
            dwelling_type="T3",
            first_commune_insee=insee,
            household_size=3,
            facts={},
        )
        demand.events = [
            DemandEvent(kind="filed", occurred_on=filed),
            DemandEvent(kind="allocation", occurred_on=allocated, commune_insee=insee, dwelling_type="T3"),
        ]
        session.add(demand)
        session.add(
            Allocation(
                demand_number=number,
                allocated_on=allocated,
                commune_insee=insee,
                dwelling_type="T3",
                landlord="Bailleur <test>",
                priority="dalo" if index % 4 == 0 else "none",
            )
        )
    for insee in insees:
        for dwelling_type in ("T2", "T3"):
            session.add(
                HousingStock(
                    year=today.year - 1,
                    commune_insee=insee,
                    dwelling_type=dwelling_type,
                    landlord="Bailleur <test>",
                    dwellings=120,
                )
            )


@pytest.fixture(scope="module")
def observatory_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("observatory")
    with serving(folder) as base:
        engine = make_engine(f"sqlite:///{folder / 'portal.db'}")
        with sessionmaker(engine).begin() as session:
            town = create_organisation(session, "ville-observatoire")
            for locale in ("fr", "ar"):
                for size in ("phone", "desktop"):
                    create_partner(session, f"lecteur-{locale}-{size}@ville.fr", {town: ["editor"]})
            add_figures(session)
        engine.dispose()
        yield base


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_a_partner_reads_the_observatory_with_filters(observatory_server, page, watch, viewport, locale):
    base = observatory_server
    page.goto(f"{base}/partenaires/connexion?lang={locale}")
    sign_in(page, f"lecteur-{locale}-{size_of(viewport)}@ville.fr")
    page.locator("main a[href='/partenaires/observatoire']").click()
    page.wait_for_load_state()
    assert page.url.endswith("/partenaires/observatoire")
    assert page.locator("html").get_attribute("lang") == locale
    assert page.locator("figure svg[role=img]").count() == 3
    check(page, watch, viewport)
    today = clock.today()
    page.fill("#start", (today - dt.timedelta(days=200)).isoformat())
    page.select_option("#dwelling_type", "T3")
    page.select_option("#landlord", "Bailleur <test>")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "dwelling_type=T3" in page.url
    assert (
        page.locator("#observatory-indicators tr[data-name=allocations] td.numeric")
        .inner_text()
        .startswith("12")
    )
    check(page, watch, viewport)
    # A period that ends before it starts: refused, explained, what was typed kept.
    page.fill("#end", "2001-01-01")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator(".error-summary[role=alert]").count() == 1
    assert page.locator("#end[aria-invalid=true]").count() == 1
    assert page.locator("#end").input_value() == "2001-01-01"
    check(page, watch, viewport)
