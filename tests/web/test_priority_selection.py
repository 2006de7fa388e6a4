"""The selection of candidates for a vacant dwelling on both backends: the active demands that fit (type,
commune wished, household size, income under the ceiling), in queue order, read a window at a time; labels
and the holder's objective; who may ask; every list audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from portal.demands.models import Allocation
from portal.information.services import ceilings_in_force
from portal.partners.models import AuditEntry
from portal.priority import objectives, referrals, selection
from tests.factories.demands import create_demand
from tests.factories.partners import create_organisation, create_partner
from tests.pagecheck import parse, text_of
from tests.support import sign_in

TODAY = dt.date(2026, 12, 7)
FILED = dt.date(2024, 5, 1)


def demand(db, name: str, score: int, size: int = 3, kind: str = "T3", commune: str = "72181", **values):
    facts = values.pop("facts", {"income": 20000})
    made = create_demand(db, values.pop("filed_on", FILED), commune, kind, number=f"07211240{name:0>5}G0101",
                         facts=facts, **values)  # fmt: skip
    made.household_size, made.score_total = size, score
    return made


@pytest.fixture
def vacancy_data(db):
    epci = create_organisation(db, "metropole", "epci")
    oph = create_organisation(db, "oph", "landlord")
    sa = create_organisation(db, "sa-hlm", "landlord")
    holder = create_organisation(db, "collecteur", "action_logement")
    association = create_organisation(db, "asso", "association")
    made = {
        "A": demand(db, "1", 9500),
        "B": demand(db, "2", 9400, commune="72095", filed_on=dt.date(2024, 6, 1)),
        "C": demand(db, "3", 9400, filed_on=dt.date(2024, 1, 1)),
        "D": demand(db, "4", 9300, size=1),  # too small a household for a T3
        "E": demand(db, "5", 9200, facts={"income": 90000}),  # above the PLUS ceiling
        "F": demand(db, "6", 9100, status="allocated"),
        "G": demand(db, "7", 9000, kind="T2"),
        "H": demand(db, "8", 8900, size=4, facts={"dalo": True}),  # income not known: listed, marked
        "I": demand(db, "9", 8800),
    }
    made["B"].other_communes = "72003 72181"
    db.flush()
    worker = create_partner(db, "travailleur@asso.fr", {association: ["editor"]})
    epci_editor = create_partner(db, "editeur@metropole.fr", {epci: ["editor"]})
    referral = referrals.refer(db, worker, association.id, {"demand_number": made["I"].number,
                               "criteria": ["violence"], "support_organisation": "CIDFF"}, TODAY)  # fmt: skip
    committee = referrals.create_session(db, epci_editor, TODAY, "")
    referral.state, referral.session_id = "on_agenda", committee.id
    referrals.decide(db, epci_editor, referral, True, "violence", "Établi", holder.id, TODAY)
    objectives.set_objective(db, epci_editor, holder, TODAY.year, Decimal("0.5"), Decimal("0.25"))
    day = TODAY - dt.timedelta(days=9)
    db.add(Allocation(demand_number="0721124099999G0101", allocated_on=day, commune_insee="72181",
                      dwelling_type="T3", landlord="oph", holder="collecteur"))  # fmt: skip
    create_partner(db, "editeur@oph.fr", {oph: ["editor"]})
    create_partner(db, "editeur@collecteur.fr", {holder: ["editor"]})
    db.flush()
    return {"demands": made, "oph": oph, "sa": sa, "holder": holder}


VACANCY = selection.Vacancy("oph", "72181", "T3", "PLUS", Decimal("520"))


def test_the_fitting_demands_in_queue_order(db_app, db, vacancy_data, monkeypatch):
    made = vacancy_data["demands"]
    with db_app.app_context():
        ceilings = ceilings_in_force(TODAY)
    found = selection.candidates(db, VACANCY, ceilings, "other", TODAY)
    mine = [candidate.number for candidate in found if candidate.score >= 8800]
    assert mine == [made[name].number for name in ("A", "C", "B", "H", "I")]
    by_number = {candidate.number: candidate for candidate in found}
    assert by_number[made["B"].number].first_choice is False
    assert by_number[made["H"].number].income is None and by_number[made["H"].number].dalo
    assert by_number[made["I"].number].label.criterion == "violence"
    assert by_number[made["A"].number].under_ceiling is True
    assert by_number[made["A"].number].rent_share == pytest.approx(520 * 12 / 20000)
    assert [candidate.rank for candidate in found] == list(range(1, len(found) + 1))
    judged = selection.candidates(db, VACANCY, ceilings, "other", TODAY, quartile_income=12000)
    quartiles = {candidate.number: candidate.lowest_quartile for candidate in judged}
    assert quartiles[made["A"].number] is True  # 20,000 € for 3 adults: 2 consumption units, 10,000 € each
    assert quartiles[made["H"].number] is None  # income not known
    assert by_number[made["A"].number].lowest_quartile is None  # no threshold: not judged
    monkeypatch.setattr(selection, "WINDOW", 2)  # read two demands at a time: the same list
    again = selection.candidates(db, VACANCY, ceilings, "other", TODAY)
    assert [candidate.number for candidate in again] == [candidate.number for candidate in found]


def test_who_asks_and_the_list_is_audited(db_app, db, vacancy_data):
    made = vacancy_data["demands"]
    client = db_app.test_client()
    sign_in(client, "editeur@oph.fr")
    ask = {"commune": "72181", "dwelling_type": "T3", "financing": "PLUS", "rent": "520",
           "holder": str(vacancy_data["holder"].id)}  # fmt: skip
    page = client.get(
        "/partenaires/prioritaires/candidats", query_string={**ask, "landlord": vacancy_data["oph"].id}
    )
    assert page.status_code == 200
    text = text_of(parse(page).find(".//main"))
    assert made["A"].number in text and made["D"].number not in text and made["E"].number not in text
    assert text.count("rapproche Organisation collecteur de son objectif") == 2  # H (DALO), I (labelled)
    other = client.get(
        "/partenaires/prioritaires/candidats", query_string={**ask, "landlord": vacancy_data["sa"].id}
    )
    assert other.status_code == 400  # not one of its landlords
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "priority.candidates_listed"))
    assert made["A"].number in entry.after["numbers"] and entry.organisation_id == vacancy_data["oph"].id
    client.post("/partenaires/deconnexion", data={"csrf_token": parse(client.get("/partenaires/")).find(
        ".//input[@name='csrf_token']").get("value")})  # fmt: skip
    sign_in(client, "travailleur@asso.fr")
    assert client.get("/partenaires/prioritaires/candidats").status_code == 403
