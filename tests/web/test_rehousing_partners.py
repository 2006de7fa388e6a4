"""Who sees and does what in the rehousing follow-up, across partners, on both backends; the file of
households (good and bad files: a refused file changes nothing); the forms keep what was typed."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from portal.partners.models import AuditEntry
from portal.rehousing import operations
from portal.rehousing.models import Household, Offer, Operation
from tests.factories.partners import create_organisation, create_partner
from tests.factories.rehousing import LE_MANS, create_household, create_operation, make_offer
from tests.pagecheck import csrf_token, parse, text_of
from tests.support import sign_in

BASE = "/partenaires/relogement"


@pytest.fixture
def people(db):
    epci = create_organisation(db, "metropole", "epci")
    oph = create_organisation(db, "oph", "landlord")
    sa = create_organisation(db, "sa-hlm", "landlord")
    other = create_organisation(db, "autre-bailleur", "landlord")
    town = create_organisation(db, "ville-a")
    return {
        "epci": epci,
        "oph": oph,
        "sa": sa,
        "other": other,
        "epci_editor": create_partner(db, "editeur@metropole.fr", {epci: ["editor"]}),
        "oph_editor": create_partner(db, "editeur@oph.fr", {oph: ["editor"]}),
        "sa_editor": create_partner(db, "editeur@sa-hlm.fr", {sa: ["editor"]}),
        "other_editor": create_partner(db, "editeur@autre.fr", {other: ["editor"]}),
        "town_editor": create_partner(db, "editeur@ville-a.fr", {town: ["editor"]}),
    }


@pytest.fixture
def client(db_app):
    return db_app.test_client()


def post(client, url: str, **values):
    """A form's answer with the session's token, under the name each form gives it (a household page's
    forms have prefixes: "offer-csrf_token"…)."""
    token = csrf_token(client, "/partenaires/")
    prefixes = {name.split("-")[0] for name in values if "-" in name}
    tokens = {"csrf_token": token, **{f"{prefix}-csrf_token": token for prefix in prefixes}}
    return client.post(url, data={**tokens, **values})


def upload(client, operation_id: int, content: str, encoding: str = "utf-8"):
    return client.post(
        f"{BASE}/operations/{operation_id}/menages/fichier",
        data={
            "csrf_token": csrf_token(client, "/partenaires/"),
            "file": (io.BytesIO(content.encode(encoding)), "menages.csv"),
        },
        content_type="multipart/form-data",
    )


def operation_form(**values):
    form = {
        "name": "Gazonfier – barre B",
        "neighbourhood": "Gazonfier",
        "qpv_code": "qn07203m",
        "commune": LE_MANS,
        "buildings": "Barre B",
        "dwellings": "64",
        "announced_on": "2026-01-15",
        "rehousing_starts_on": "2026-04-01",
        "demolition_on": "2027-06-30",
    }
    form.update(values)
    return form


def test_the_epci_and_a_landlord_create_operations_others_cannot(client, db, people):
    sign_in(client, "editeur@oph.fr")
    assert "/partenaires/relogement/" in client.get("/partenaires/").text
    made = post(client, f"{BASE}/operations/nouvelle", landlord=str(people["oph"].id), **operation_form())
    assert made.status_code == 302
    operation = db.scalar(select(Operation).where(Operation.name == "Gazonfier – barre B"))
    assert operation.landlord_id == people["oph"].id and operation.qpv_code == "QN07203M"
    # A landlord may not create an operation on another landlord's buildings: not among the choices.
    refused = post(client, f"{BASE}/operations/nouvelle", landlord=str(people["sa"].id), **operation_form())
    assert refused.status_code == 400 and "Gazonfier" in refused.text  # what was typed is kept
    bad = post(client, f"{BASE}/operations/nouvelle", landlord=str(people["oph"].id),
               **operation_form(demolition_on="2026-01-01", dwellings="beaucoup"))  # fmt: skip
    assert bad.status_code == 400
    errors = text_of(parse(bad).find(".//*[@class='error-summary']"))
    assert "démolition" in errors and "nombre entier" in errors
    client.post("/partenaires/deconnexion", data={"csrf_token": csrf_token(client, "/partenaires/")})
    sign_in(client, "editeur@ville-a.fr")
    assert client.get(f"{BASE}/operations/nouvelle").status_code == 403
    assert client.get(f"{BASE}/operations/{operation.id}").status_code == 404
    assert "Aucune opération" in client.get(f"{BASE}/").text
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "rehousing.operation_created"))
    assert entry.organisation_id == people["oph"].id and entry.after["dwellings"] == 64


def test_a_partner_sees_only_the_households_proposed_to_it_and_records_its_own_offers(client, db, people):
    epci = people["epci_editor"]
    operation = create_operation(db, epci, people["oph"].id)
    proposed = create_household(db, epci, operation, "H-PROPOSED")
    hidden = create_household(db, epci, operation, "H-HIDDEN")
    operations.set_commitment(db, epci, operation, people["sa"].id, "T3", 3)
    operations.propose(db, epci, proposed, people["sa"].id, operation.rehousing_starts_on)
    oph_offer = make_offer(db, epci, hidden, people["oph"].id)
    db.commit()
    sign_in(client, "editeur@sa-hlm.fr")
    assert operation.name in client.get(f"{BASE}/").text
    listing = client.get(f"{BASE}/operations/{operation.id}/menages")
    assert "H-PROPOSED" in listing.text and "H-HIDDEN" not in listing.text
    assert client.get(f"{BASE}/operations/{operation.id}/menages/{hidden.id}").status_code == 404
    export = client.get(f"{BASE}/operations/{operation.id}/menages.csv").data.decode("utf-8-sig")
    assert "H-PROPOSED" in export and "H-HIDDEN" not in export
    for path in ("modifier", "engagements", "menages/nouveau", f"menages/{proposed.id}/modifier"):
        assert client.get(f"{BASE}/operations/{operation.id}/{path}").status_code == 403, path
    # Its offer is its own, whatever the form says; the operation's landlord's offer is not its to answer.
    page = f"{BASE}/operations/{operation.id}/menages/{proposed.id}"
    form = {
        "offer-partner": str(people["sa"].id),
        "offer-landlord_name": "SA HLM",
        "offer-commune": LE_MANS,
        "offer-dwelling_type": "T3",
        "offer-rent": "455,20",
        "offer-rent_after_aid": "190",
        "offer-suitable": "y",
        "offer-offered_on": "2026-06-02",
    }
    assert (
        post(client, f"{page}/offres", **{**form, "offer-partner": str(people["oph"].id)}).status_code == 400
    )
    assert post(client, f"{page}/offres", **form).status_code == 302
    offer = db.scalar(select(Offer).where(Offer.household_id == proposed.id))
    assert offer.brought_by_id == people["sa"].id and str(offer.rent) == "455.20"
    answer = {"decision-decision": "accepted", "decision-decided_on": "2026-06-10"}
    url = f"{BASE}/operations/{operation.id}/menages/{hidden.id}/offres/{oph_offer.id}/reponse"
    assert post(client, url, **answer).status_code == 404
    assert post(client, f"{page}/offres/{offer.id}/reponse", **answer).status_code == 302
    assert (
        post(client, f"{page}/offres/{offer.id}/emmenagement", **{"move-moved_on": "2026-07-01"}).status_code
        == 302
    )
    db.expire_all()
    assert db.get(Household, proposed.id).status == "rehoused"
    assert (
        post(
            client, f"{page}/sortie", **{"left-reason": "deceased", "left-ended_on": "2026-07-02"}
        ).status_code
        == 403
    )


def test_another_landlord_sees_nothing_of_an_operation_it_takes_no_part_in(client, db, people):
    operation = create_operation(db, people["epci_editor"], people["oph"].id)
    household = create_household(db, people["epci_editor"], operation)
    db.commit()
    sign_in(client, "editeur@autre.fr")
    assert operation.name not in client.get(f"{BASE}/").text
    for path in ("", "/menages", f"/menages/{household.id}", "/menages.csv", "/rapport.pdf"):
        assert client.get(f"{BASE}/operations/{operation.id}{path}").status_code == 404, path
    assert post(client, f"{BASE}/operations/{operation.id}/menages/{household.id}/offres").status_code == 404


def test_the_operations_landlord_manages_it_and_the_epci_sees_every_operation(client, db, people):
    operation = create_operation(db, people["epci_editor"], people["sa"].id, name="Chez SA")
    db.commit()
    sign_in(client, "editeur@sa-hlm.fr")
    edit = client.get(f"{BASE}/operations/{operation.id}/modifier")
    assert edit.status_code == 200
    saved = post(client, f"{BASE}/operations/{operation.id}/modifier", landlord=str(people["sa"].id),
                 **operation_form(name="Chez SA, barre C"))  # fmt: skip
    assert saved.status_code == 302
    committed = post(client, f"{BASE}/operations/{operation.id}/engagements",
                     partner=str(people["oph"].id), dwelling_type="T2", offers="5")  # fmt: skip
    assert committed.status_code == 302
    db.expire_all()
    assert db.get(Operation, operation.id).name == "Chez SA, barre C"
    client.post("/partenaires/deconnexion", data={"csrf_token": csrf_token(client, "/partenaires/")})
    sign_in(client, "editeur@metropole.fr")
    listing = client.get(f"{BASE}/")
    assert "Chez SA, barre C" in listing.text
    # The partner committed sees the operation (its figures), not its households.
    client.post("/partenaires/deconnexion", data={"csrf_token": csrf_token(client, "/partenaires/")})
    sign_in(client, "editeur@oph.fr")
    assert client.get(f"{BASE}/operations/{operation.id}").status_code == 200
    assert "Aucun ménage" in client.get(f"{BASE}/operations/{operation.id}/menages").text


GOOD_FILE = (
    "reference;persons;children;current_type;rent;rent_after_aid;wished_type;wished_communes;"
    "accessibility;ageing_or_disability;stay_in_neighbourhood;rent_ceiling;survey_on;followed_by\n"
    "G-01;4;2;T4;512,40;230;T4;72181 72095;non;non;oui;260;2026-04-02;Mme Martin\n"
    "G-02;1;;T3;390;;T1;;oui;oui;;;02/05/2026;\n"
    "H-001;2;0;T3;400;150;T2;72181;non;non;non;200;2026-05-10;M. Petit\n"
)


def test_a_good_file_adds_and_updates_households(client, db, people):
    operation = create_operation(db, people["epci_editor"], people["oph"].id)
    known = create_household(db, people["epci_editor"], operation, "H-001")
    db.commit()
    sign_in(client, "editeur@oph.fr")
    response = upload(client, operation.id, GOOD_FILE, encoding="cp1252")
    assert response.status_code == 302
    assert "2 ménages ajoutés, 1 mis à jour" in client.get(response.location).text.replace("\u00a0", " ")
    db.expire_all()
    rows = {
        h.reference: h for h in db.scalars(select(Household).where(Household.operation_id == operation.id))
    }
    assert set(rows) == {"G-01", "G-02", "H-001"}
    g1, g2 = rows["G-01"], rows["G-02"]
    assert (g1.persons, g1.children, str(g1.rent), g1.wished_communes) == (4, 2, "512.40", ["72181", "72095"])
    assert g1.stay_in_neighbourhood and not g1.accessibility and g1.followed_by == "Mme Martin"
    assert g2.accessibility and g2.ageing_or_disability and g2.survey_on.isoformat() == "2026-05-02"
    assert g2.rent_after_aid is None and g2.wished_communes == []
    assert db.get(Household, known.id).wished_type == "T2"  # updated, still one household
    assert db.scalar(
        select(AuditEntry.after).where(AuditEntry.action == "rehousing.households_imported")
    ) == {
        "added": 2,
        "updated": 1,
    }


def test_a_bad_file_is_refused_whole_with_every_problem_by_line(client, db, people):
    operation = create_operation(db, people["epci_editor"], people["oph"].id)
    db.commit()
    sign_in(client, "editeur@metropole.fr")
    bad = GOOD_FILE + ("G-03;0;0;studio;cher;;T2;99999;peut-être;;;;31/02/2026;\nG-01;2;2;T2;;;T2;;;;;;;\n")
    response = upload(client, operation.id, bad)
    assert response.status_code == 400
    items = parse(response).findall(".//ul[@class='import-problems']/li")
    found = [
        (text_of(item).split(":")[0].replace("\u00a0", "").strip(), item.find("code").text) for item in items
    ]
    assert found == [
        ("Ligne 5", "persons"),
        ("Ligne 5", "current_type"),
        ("Ligne 5", "rent"),
        ("Ligne 5", "accessibility"),
        ("Ligne 5", "wished_communes"),
        ("Ligne 5", "survey_on"),
        ("Ligne 6", "children"),
        ("Ligne 6", "reference"),
    ]
    problems = [text_of(item) for item in items]
    assert "ligne 2" in problems[-1]  # the reference's first line
    assert db.scalar(select(func.count()).select_from(Household)) == 0
    missing = upload(client, operation.id, "reference;persons;colour\nX;1;blue\n")
    texts = [text_of(item) for item in parse(missing).findall(".//ul[@class='import-problems']/li")]
    assert any("current_type" in text for text in texts) and any("colour" in text for text in texts)
    assert upload(client, operation.id, "").status_code == 400
    assert db.scalar(select(func.count()).select_from(Household)) == 0


def household_form(**values):
    form = {
        "reference": "M-01",
        "persons": "3",
        "children": "1",
        "current_type": "T4",
        "rent": "498,30",
        "rent_after_aid": "",
        "wished_type": "T3",
        "wished_communes": [LE_MANS],
        "accessibility": "y",
        "rent_ceiling": "250",
        "survey_on": "2026-04-20",
        "followed_by": "Mme Martin",
    }
    form.update(values)
    return form


def test_a_household_entered_by_hand_proposed_and_closed_otherwise(client, db, people):
    operation = create_operation(db, people["epci_editor"], people["oph"].id)
    create_household(db, people["epci_editor"], operation, "TAKEN")
    db.commit()
    sign_in(client, "editeur@oph.fr")
    new = f"{BASE}/operations/{operation.id}/menages/nouveau"
    assert client.get(new).status_code == 200
    taken = post(client, new, **household_form(reference="TAKEN"))
    assert taken.status_code == 400 and "a cette référence" in taken.text
    assert 'value="498,30"' in taken.text  # what was typed is kept
    wrong = post(client, new, **household_form(children="3", rent="beaucoup"))
    assert (
        wrong.status_code == 400 and "au moins un adulte" in wrong.text and "montant en euros" in wrong.text
    )
    made = post(client, new, **household_form())
    assert made.status_code == 302
    household = db.scalar(select(Household).where(Household.reference == "M-01"))
    assert (str(household.rent), household.rent_after_aid, household.accessibility) == ("498.30", None, True)
    page = made.location
    assert post(client, f"{page}/modifier", **household_form(reference="M-01-bis")).status_code == 302
    proposed = post(client, f"{page}/proposition", **{"proposal-partner": str(people["sa"].id)})
    assert proposed.status_code == 302
    assert "Organisation sa-hlm" in client.get(page).text
    left = post(client, f"{page}/sortie", **{"left-reason": "private_sector", "left-ended_on": "2026-08-01"})
    assert left.status_code == 302
    db.expire_all()
    household = db.get(Household, household.id)
    assert (household.reference, household.status, household.left_reason) == (
        "M-01-bis",
        "left",
        "private_sector",
    )
    offer = post(client, f"{page}/offres", **{"offer-landlord_name": "X"})  # a closed follow-up takes nothing
    assert offer.status_code in (302, 400) and db.scalar(select(func.count()).select_from(Offer)) == 0
    actions = db.scalars(select(AuditEntry.action).where(AuditEntry.action.like("rehousing.%"))).all()
    assert {"rehousing.household_changed", "rehousing.household_proposed", "rehousing.household_left"} <= set(
        actions
    )
    closed = post(client, f"{BASE}/operations/{operation.id}/cloture", closed_on="2026-09-30")
    assert closed.status_code == 302
    db.expire_all()
    assert db.get(Operation, operation.id).closed_on.isoformat() == "2026-09-30"
    assert "Suivi clos" in client.get(f"{BASE}/").text
