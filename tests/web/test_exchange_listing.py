"""A tenant's listing on both backends: only signed in; a form that keeps what was typed and names each
problem; the financings the household is under worked out from the published ceilings (the income not
kept); the listing waits for the landlord; withdrawn, renewed; CSRF on every button."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal import clock
from portal.exchange import services
from portal.exchange.models import Listing, ListingWish
from tests.factories.exchange import ALLONNES, COULAINES, LE_MANS, create_tenant
from tests.factories.partners import create_organisation
from tests.pagecheck import csrf_token, parse, text_of
from tests.support import sign_in_tenant

HOME = "/fr/echange-de-logement/"
FORM = f"{HOME}mon-annonce"


@pytest.fixture
def tenant_client(db, db_app):
    """A client signed in as a verified tenant."""
    client = db_app.test_client()
    sign_in_tenant(client, db, create_tenant(db, "locataire@example.org"))
    return client


@pytest.fixture
def landlord(db):
    return create_organisation(db, "oph", "landlord")


def values(owner, **changes):
    """The form filled in for a tenant of the landlord `owner`, with `changes`."""
    data = {
        "landlord": str(owner.id),
        "tenant_reference": "AB-1234",
        "adults": "2",
        "dependants": "1",
        "income": "21000",
        "commune": LE_MANS,
        "district": "Les Sablons",
        "dwelling_type": "T2",
        "surface": "48",
        "floor": "3",
        "lift": "y",
        "rent": "420",
        "financing": "PLUS",
        "wish_types": ["T3", "T4"],
        "wish_communes": [ALLONNES, COULAINES],
        "wish_max_rent": "560",
        "reason": "Un enfant est né.",
    }
    data.update(changes)
    return data


def send(client, data):
    return client.post(FORM, data={"csrf_token": csrf_token(client, FORM), **data})


def test_signed_out_the_listing_page_sends_to_sign_in(db_app):
    response = db_app.test_client().get(FORM)
    assert response.status_code == 302 and response.location.endswith("/echange-de-logement/connexion")


def test_a_tenant_lists_their_dwelling_and_it_waits_for_the_landlord(tenant_client, db, landlord):
    page = tenant_client.get(FORM)
    assert page.status_code == 200
    assert parse(page).find(f".//select[@id='landlord']/option[@value='{landlord.id}']") is not None
    response = send(tenant_client, values(landlord))
    assert response.status_code == 302
    listing = db.scalars(select(Listing)).one()
    assert (listing.state, listing.landlord_id, listing.tenant_reference) == (
        "awaiting_landlord",
        landlord.id,
        "AB-1234",
    )
    assert listing.household_size == 3 and listing.financings == "PLAI,PLUS,PLS"  # 21,000 € for 3: under all
    assert (listing.wish_types, listing.wish_communes) == ("T3,T4", f"{ALLONNES},{COULAINES}")
    assert len(db.scalars(select(ListingWish)).all()) == 4
    shown = text_of(parse(tenant_client.get(FORM)).find(".//main"))
    assert "en attente de la confirmation de votre bailleur" in shown and "Allonnes" in shown


def test_the_financings_follow_the_income(tenant_client, db, landlord):
    send(tenant_client, values(landlord, income="40000"))
    assert db.scalars(select(Listing.financings)).one() == "PLS"  # above PLAI and PLUS for 3 people


def test_an_income_above_every_ceiling_is_told_and_nothing_saved(tenant_client, db, landlord):
    response = send(tenant_client, values(landlord, income="900000"))
    assert response.status_code == 400
    page = parse(response)
    assert page.find(".//*[@id='income'][@aria-invalid='true']") is not None
    assert "au-dessus de tous les plafonds" in text_of(page.find(".//main"))
    assert db.scalar(select(Listing.id)) is None


def test_a_failed_form_keeps_what_was_typed_and_names_each_problem(tenant_client, db, landlord):
    response = send(tenant_client, values(landlord, tenant_reference="", wish_types=[], surface="2"))
    assert response.status_code == 400
    page = parse(response)
    problems = [item.get("href") for item in page.findall(".//*[@id='error-summary']//a")]
    assert problems == ["#tenant_reference", "#surface", "#wish_types"]
    assert page.find(".//*[@id='district']").get("value") == "Les Sablons"
    assert page.find(f".//input[@name='wish_communes'][@value='{ALLONNES}']").get("checked") is not None
    assert db.scalar(select(Listing.id)) is None


def test_an_unknown_landlord_or_commune_is_refused(tenant_client, db, landlord):
    town = create_organisation(db, "ville-a", "commune")
    assert send(tenant_client, values(landlord, landlord=str(town.id))).status_code == 400
    assert send(tenant_client, values(landlord, wish_communes=["99999"])).status_code == 400
    assert db.scalar(select(Listing.id)) is None


def test_a_listing_is_withdrawn_or_renewed_with_its_buttons(tenant_client, db, landlord):
    send(tenant_client, values(landlord))
    listing = db.scalars(select(Listing)).one()
    renew = f"{FORM}/renouvellement"
    assert tenant_client.post(renew, data={"csrf_token": csrf_token(tenant_client, FORM)}).status_code == 409
    assert tenant_client.post(f"{FORM}/retrait").status_code == 400  # no form token
    done = tenant_client.post(f"{FORM}/retrait", data={"csrf_token": csrf_token(tenant_client, FORM)})
    assert done.status_code == 302
    db.refresh(listing)
    assert listing.state == "withdrawn" and listing.closed_at is not None


def test_after_a_refusal_the_tenant_lists_again(tenant_client, db, landlord):
    send(tenant_client, values(landlord, tenant_reference="FAUX-1"))
    first = db.scalars(select(Listing)).one()
    services.refuse(db, first, landlord.id, None, clock.now())
    db.commit()
    page = tenant_client.get(FORM)
    assert f"{FORM}?nouvelle=1" in page.text
    assert parse(tenant_client.get(f"{FORM}?nouvelle=1")).find(".//select[@id='landlord']") is not None
    token = csrf_token(tenant_client, f"{FORM}?nouvelle=1")
    data = {"csrf_token": token, **values(landlord, tenant_reference="AB-1234")}
    assert tenant_client.post(FORM, data=data).status_code == 302
    db.expire_all()
    assert [row.tenant_reference for row in db.scalars(select(Listing))] == ["AB-1234"]


def test_an_open_listing_is_not_replaced(tenant_client, db, landlord):
    send(tenant_client, values(landlord))
    again = tenant_client.post(
        f"{FORM}?nouvelle=1", data={"csrf_token": csrf_token(tenant_client, FORM), **values(landlord)}
    )
    assert again.status_code == 200 and db.scalar(select(func.count()).select_from(Listing)) == 1
