"""The urban-renewal rehousing follow-up on both backends: the dashboard's figures against hand counts,
the three-refusals rule, the deletion of closed operations' households, the exports."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pypdf
import pytest
from sqlalchemy import func, select

from portal.partners.models import AuditEntry
from portal.rehousing import dashboard, offers, operations
from portal.rehousing.jobs import RETENTION, purge
from portal.rehousing.models import Household, Offer, Proposal
from tests.factories.partners import create_organisation, create_partner
from tests.factories.rehousing import (
    ALLONNES,
    COULAINES,
    create_household,
    create_operation,
    make_offer,
    refuse,
    rehouse,
)
from tests.pagecheck import parse, text_of
from tests.support import sign_in

TODAY = dt.date(2026, 12, 7)


@pytest.fixture
def people(db):
    epci = create_organisation(db, "metropole", "epci")
    oph = create_organisation(db, "oph", "landlord")
    sa = create_organisation(db, "sa-hlm", "landlord")
    action = create_organisation(db, "collecteur-al", "action_logement")
    return {
        "epci": epci,
        "oph": oph,
        "sa": sa,
        "action": action,
        "epci_editor": create_partner(db, "editeur@metropole.fr", {epci: ["editor"]}),
        "oph_editor": create_partner(db, "editeur@oph.fr", {oph: ["editor"]}),
        "sa_editor": create_partner(db, "editeur@sa-hlm.fr", {sa: ["editor"]}),
        "action_editor": create_partner(db, "editeur@al.fr", {action: ["editor"]}),
    }


@pytest.fixture
def operation(db, people):
    return create_operation(db, people["epci_editor"], people["oph"].id)


def seven_households(db, people, operation):
    """Seven households whose figures are counted by hand in the test below."""
    user, oph, sa = people["epci_editor"], people["oph"].id, people["sa"].id
    operations.set_commitment(db, user, operation, oph, "T3", 4)
    operations.set_commitment(db, user, operation, sa, "T2", 2)
    h1 = create_household(db, user, operation, "H-1")  # outside QPV, recent, pays 230 after aid (was 210)
    rehouse(db, user, h1, oph, recent=True, moved=dt.date(2026, 6, 14))
    h2 = create_household(db, user, operation, "H-2", rent_after_aid=Decimal("200"))  # in QPV, pays 180
    rehouse(db, user, h2, sa, in_qpv=True, dwelling_type="T2", rent_after_aid=Decimal("180"))
    h3 = create_household(db, user, operation, "H-3", rent_after_aid=None)  # outside QPV, before unknown
    rehouse(db, user, h3, oph, commune_insee=COULAINES, moved=dt.date(2026, 9, 15))
    h4 = create_household(db, user, operation, "H-4")  # one suitable refusal, one offer waiting
    refuse(db, user, h4, sa, dwelling_type="T2")
    make_offer(db, user, h4, oph, offered_on=dt.date(2026, 6, 1))
    create_household(db, user, operation, "H-5", survey_on=dt.date(2026, 4, 1))  # nothing yet, late
    h6 = create_household(db, user, operation, "H-6")
    offers.record_left(db, user, h6, "own_means", dt.date(2026, 5, 20))
    h7 = create_household(db, user, operation, "H-7", survey_on=dt.date(2026, 8, 1))  # three refusals
    for day in (1, 10, 20):
        refuse(db, user, h7, oph, offered_on=dt.date(2026, 9, day))
    refuse(db, user, h7, oph, offered_on=dt.date(2026, 10, 1), suitable=False)  # does not count
    db.flush()
    return {"h1": h1, "h4": h4, "h7": h7}


def test_the_dashboard_counts_what_a_hand_count_finds(db, people, operation):
    seven_households(db, people, operation)
    found = dashboard.figures(db, operation, TODAY)
    assert found.households == 7
    assert found.by_status == {"not_started": 1, "in_progress": 2, "rehoused": 3, "left": 1}
    assert (found.rehoused_outside_qpv, found.rehoused_recent) == (2, 1)
    # H-1: 230 - 210 = +20; H-2: 180 - 200 = -20; H-3 unknown before.
    assert (found.burden_known, found.burden_change, found.burden_increased) == (2, 0.0, 1)
    by_name = {partner.name: partner for partner in found.partners}
    oph, sa = by_name["Organisation oph"], by_name["Organisation sa-hlm"]
    assert (oph.committed, oph.offers, oph.accepted) == (4, 7, 2)  # H-1, H-3, H-4 waiting, H-7 ×4
    assert oph.offers_by_type == {"T3": 7} and oph.committed_by_type == {"T3": 4}
    assert (sa.committed, sa.offers, sa.accepted, sa.offers_by_type) == (2, 2, 1, {"T2": 2})
    # Survey 15 March: moves on 14 June (91 days), 1 July (108), 15 September (184): median 108.
    assert found.move_delay_days == 108
    # First offers: 1 May (47 days) for H-1…H-4, 1 September for H-7 (31 days): median 47.
    assert found.first_offer_days == 47
    assert found.waiting_long == 2  # H-4 and H-5, surveyed in March and April and still open
    assert found.refusals_reached == 1
    assert found.days_to_demolition == (dt.date(2027, 9, 1) - TODAY).days
    assert found.progress == pytest.approx(4 / 7)


def test_the_dashboard_page_shows_the_figures_and_the_refusal_rule(db_app, db, people, operation):
    made = seven_households(db, people, operation)
    client = db_app.test_client()
    sign_in(client, "editeur@metropole.fr")
    page = client.get(f"/partenaires/relogement/operations/{operation.id}")
    assert page.status_code == 200
    text = text_of(parse(page).find(".//main"))
    assert "Les Sablons" in text and "Organisation oph" in text
    assert "67 %" in text.replace("\u202f", " ").replace("\u00a0", " ")  # 2 of 3 outside QPV
    household = client.get(f"/partenaires/relogement/operations/{operation.id}/menages/{made['h7'].id}")
    assert "L.353-15" in household.text and "refusé 3 offres" in household.text.replace("\u00a0", " ")
    waiting = client.get(f"/partenaires/relogement/operations/{operation.id}/menages/{made['h4'].id}")
    assert "L.353-15" not in waiting.text  # one refusal only


def test_the_rule_counts_suitable_refusals_only(db, people, operation):
    user, oph = people["epci_editor"], people["oph"].id
    household = create_household(db, user, operation)
    refuse(db, user, household, oph)
    refuse(db, user, household, oph, suitable=False)
    assert offers.refusal_stage(household) == (1, "")
    refuse(db, user, household, oph)
    assert offers.refusal_stage(household) == (2, "warning")
    refuse(db, user, household, oph)
    assert offers.refusal_stage(household) == (3, "reached")


def test_an_offer_waits_for_its_answer_and_a_closed_follow_up_takes_nothing(db, people, operation):
    user, oph = people["epci_editor"], people["oph"].id
    household = create_household(db, user, operation)
    offer = make_offer(db, user, household, oph)
    with pytest.raises(operations.Refused, match="pending"):
        make_offer(db, user, household, oph)
    with pytest.raises(operations.Refused, match="before_offer"):
        offers.decide(db, user, offer, True, "", offer.offered_on - dt.timedelta(days=1))
    with pytest.raises(operations.Refused, match="not_accepted"):
        offers.record_move(db, user, offer, TODAY)
    offers.decide(db, user, offer, True, "", offer.offered_on)
    with pytest.raises(operations.Refused, match="accepted"):
        make_offer(db, user, household, oph)
    offers.record_move(db, user, offer, TODAY)
    assert household.status == "rehoused" and household.ended_on == TODAY
    with pytest.raises(operations.Refused, match="closed"):
        offers.record_left(db, user, household, "own_means", TODAY)
    actions = db.scalars(select(AuditEntry.action).where(AuditEntry.target.like("%household H-001"))).all()
    assert actions == [
        "rehousing.household_added",
        "rehousing.offer_made",
        "rehousing.offer_decided",
        "rehousing.household_moved",
    ]


def test_the_households_of_an_operation_closed_two_years_ago_are_deleted_its_figures_kept(
    db_app, db, people, operation
):
    made = seven_households(db, people, operation)
    recent = create_operation(db, people["epci_editor"], people["oph"].id, name="Récente")
    create_household(db, people["epci_editor"], recent, "R-1")
    operation.closed_on = TODAY - RETENTION - dt.timedelta(days=1)
    recent.closed_on = TODAY - RETENTION + dt.timedelta(days=1)  # not yet
    operations.propose(db, people["epci_editor"], made["h4"], people["action"].id, TODAY)
    before = dashboard.figures(db, operation, TODAY)
    db.flush()
    assert purge(db, TODAY) == 7
    db.expire_all()
    assert (
        db.scalar(select(func.count()).select_from(Household).where(Household.operation_id == operation.id))
        == 0
    )
    assert db.scalar(select(func.count()).select_from(Offer).where(Offer.operation_id == operation.id)) == 0
    assert db.scalar(select(func.count()).select_from(Proposal)) == 0
    assert (
        db.scalar(select(func.count()).select_from(Household).where(Household.operation_id == recent.id)) == 1
    )
    kept = dashboard.figures(db, operation, TODAY)
    assert kept.by_status == before.by_status and kept.rehoused_outside_qpv == 2
    assert [p.name for p in kept.partners] == [p.name for p in before.partners]
    assert purge(db, TODAY) == 0  # the next night finds nothing more
    client = db_app.test_client()
    sign_in(client, "editeur@metropole.fr")
    page = client.get(f"/partenaires/relogement/operations/{operation.id}")
    assert "supprimés" in page.text and "Organisation sa-hlm" in page.text


def test_the_export_and_the_printed_report(db_app, db, people, operation, backend):
    seven_households(db, people, operation)
    create_household(db, people["epci_editor"], operation, "=HYPERLINK(1)")  # never run as a formula
    client = db_app.test_client()
    sign_in(client, "editeur@oph.fr")
    export = client.get(f"/partenaires/relogement/operations/{operation.id}/menages.csv")
    assert export.status_code == 200 and export.mimetype == "text/csv"
    lines = export.data.decode("utf-8-sig").splitlines()
    assert len(lines) == 9 and lines[0].startswith("reference;persons;")
    assert any(line.startswith("'=HYPERLINK(1);") for line in lines)
    h1 = next(line.split(";") for line in lines if line.startswith("H-1;"))
    assert (
        h1[8:11] == ["rehoused", "1", "0"]
        and h1[13:15] == ["non", "oui"]
        and h1[15:17] == ["210.00", "230.00"]
    )
    if backend == "postgresql":
        return  # the report's figures are the dashboard's, checked on both; one render is enough
    report = client.get(f"/partenaires/relogement/operations/{operation.id}/rapport.pdf")
    assert report.status_code == 200 and report.mimetype == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(report.data))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Les Sablons" in text and "Organisation sa-hlm" in text
    assert reader.metadata.title.startswith("Bilan de relogement")


def test_a_wish_for_another_commune_is_shown_against_an_offer(db_app, db, people, operation):
    user = people["epci_editor"]
    household = create_household(db, user, operation, accessibility=True)
    make_offer(db, user, household, people["oph"].id, commune_insee=ALLONNES, rent_after_aid=Decimal("320"))
    client = db_app.test_client()
    sign_in(client, "editeur@metropole.fr")
    page = client.get(f"/partenaires/relogement/operations/{operation.id}/menages/{household.id}")
    text = text_of(parse(page).find(".//main"))
    for missed in ("pas dans une commune souhaitée", "pas accessible sans marches", "coûte plus"):
        assert missed in text


def test_the_privacy_page_states_how_long_households_are_kept(client):
    assert dt.timedelta(days=730) == RETENTION
    page = client.get("/fr/donnees-personnelles")
    assert "deux ans après la clôture de l'opération" in page.text.replace("&#39;", "'")
