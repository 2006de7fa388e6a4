"""Allocation objectives on both backends: set by the EPCI, followed month by month from the allocations
file against a hand count; shown in the partners' observatory and on the holder's dashboard; a holder sees
its own objectives only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from portal.demands.models import Allocation
from portal.priority import objectives
from tests.factories.partners import create_organisation, create_partner
from tests.pagecheck import csrf_token, parse, text_of
from tests.support import sign_in

TODAY = dt.date(2026, 12, 7)
# (day, holder, priority, in QPV, lowest quartile)
ROWS = [
    (dt.date(2026, 1, 5), "collecteur", "dalo", False, True),
    (dt.date(2026, 1, 20), "collecteur", "other_priority", True, True),  # in QPV: not in the quartile count
    (dt.date(2026, 1, 28), "collecteur", "none", False, False),
    (dt.date(2026, 3, 2), "collecteur", "accord_collectif", False, None),  # quartile unknown
    (dt.date(2026, 3, 30), "collecteur", "none", False, True),
    (dt.date(2025, 12, 31), "collecteur", "dalo", False, True),  # last year
    (dt.date(2026, 2, 10), "oph", "dalo", False, True),  # another holder
    (dt.date(2026, 2, 11), "", "dalo", False, True),  # no holder said
]


@pytest.fixture
def people(db):
    epci = create_organisation(db, "metropole", "epci")
    holder = create_organisation(db, "collecteur", "action_logement")
    landlord = create_organisation(db, "oph", "landlord")
    for index, (day, slug, priority, in_qpv, lowest) in enumerate(ROWS):
        db.add(
            Allocation(
                demand_number=f"07201260000{index:02d}G0101", allocated_on=day, commune_insee="72181",
                dwelling_type="T3", landlord="oph", priority=priority, in_qpv=in_qpv, lowest_quartile=lowest,
                holder=slug,
            )
        )  # fmt: skip
    db.flush()
    return {
        "holder": holder,
        "landlord": landlord,
        "epci_editor": create_partner(db, "editeur@metropole.fr", {epci: ["editor"]}),
        "holder_editor": create_partner(db, "editeur@collecteur.fr", {holder: ["editor"]}),
        "landlord_editor": create_partner(db, "editeur@oph.fr", {landlord: ["editor"]}),
    }


def test_a_holders_year_month_by_month_against_a_hand_count(db, people):
    objectives.set_objective(
        db, people["epci_editor"], people["holder"], 2026, Decimal("0.25"), Decimal("0.3")
    )
    found = objectives.follow_up(db, people["holder"], 2026, TODAY)
    assert len(found.months) == 12
    january, february, march = found.months[:3]
    assert (january.allocations, january.priority, january.outside_known, january.lowest) == (3, 2, 2, 1)
    assert (february.allocations, february.total_allocations) == (0, 3)
    assert (march.allocations, march.priority, march.outside_known, march.lowest) == (2, 1, 1, 1)
    year = found.year_to_date
    assert (year.total_allocations, year.total_priority, year.total_outside_known, year.total_lowest) == (
        5,
        3,
        3,
        2,
    )
    assert year.priority_share == pytest.approx(0.6) and year.lowest_share == pytest.approx(2 / 3)
    assert found.priority_met() is True and found.lowest_met() is True
    earlier = objectives.follow_up(db, people["holder"], 2025, TODAY)
    assert earlier.year_to_date.total_allocations == 1 and earlier.objective is None
    both = objectives.follow_ups(db, 2026, TODAY, [people["holder"], people["landlord"]])
    assert [item.year_to_date.total_allocations for item in both] == [5, 1]


def test_the_epci_sets_objectives_and_each_holder_follows_its_own(db_app, db, people):
    client = db_app.test_client()
    sign_in(client, "editeur@metropole.fr")
    token = csrf_token(client, "/partenaires/")
    url = "/partenaires/prioritaires/objectifs/collecteur/fixer?annee=2026"
    bad = client.post(url, data={"csrf_token": token, "priority_share": "120", "lowest_quartile_share": "30"})
    assert bad.status_code == 400 and 'value="120"' in bad.text
    saved = client.post(
        url, data={"csrf_token": token, "priority_share": "30", "lowest_quartile_share": "25"}
    )
    assert saved.status_code == 302
    table = text_of(parse(client.get("/partenaires/prioritaires/objectifs?annee=2026")).find(".//main"))
    assert "Organisation collecteur" in table and "Organisation oph" in table
    observatory = text_of(parse(client.get("/partenaires/observatoire")).find(".//main"))
    assert "Objectifs d'attribution" in observatory and "60 %" in observatory.replace("\u202f", " ").replace(
        "\u00a0", " "
    )
    client.post("/partenaires/deconnexion", data={"csrf_token": csrf_token(client, "/partenaires/")})

    sign_in(client, "editeur@collecteur.fr")
    dashboard = text_of(parse(client.get("/partenaires/")).find(".//main"))
    assert "Objectifs d'attribution" in dashboard and "30 %" in dashboard.replace("\u202f", " ").replace(
        "\u00a0", " "
    )
    own = client.get("/partenaires/prioritaires/objectifs/collecteur?annee=2026")
    assert own.status_code == 200 and "mars 2026" in own.text and 'name="priority_share"' not in own.text
    assert client.get("/partenaires/prioritaires/objectifs/oph?annee=2026").status_code == 403
    assert "Organisation oph" not in client.get("/partenaires/prioritaires/objectifs?annee=2026").text
    refused = client.post(
        url, data={"csrf_token": csrf_token(client, "/partenaires/"), "priority_share": "10"}
    )
    assert refused.status_code == 403
