"""Photos of a listing on both backends: added by its tenant (re-encoded, at most three), removed, shown
to the tenant and to the tenants whose listing is public, to no one else; a refused file is told."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from portal.exchange.models import ListingPhoto
from tests.factories.exchange import create_listing, listing_input, three_way
from tests.factories.partners import create_organisation
from tests.pagecheck import csrf_token, parse, text_of
from tests.support import sign_in_tenant

LISTING = "/fr/echange-de-logement/mon-annonce"


@pytest.fixture
def cycle(db):
    return three_way(
        db, create_organisation(db, "oph", "landlord").id, create_organisation(db, "sa", "landlord").id
    )


def client_of(db_app, db, listing):
    client = db_app.test_client()
    sign_in_tenant(client, db, listing.tenant)
    return client


def photo_file(kind: str = "JPEG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 200)).save(out, kind)
    return out.getvalue()


def upload(client, data: bytes, name: str = "salon.jpg"):
    token = csrf_token(client, LISTING)
    return client.post(
        f"{LISTING}/photos",
        data={"csrf_token": token, "photo": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def count(db) -> int:
    return db.scalar(select(func.count()).select_from(ListingPhoto))


def test_a_tenant_adds_three_photos_at_most_and_removes_one(db_app, db, cycle):
    a, _b, _c = cycle
    client = client_of(db_app, db, a)
    for _ in range(3):
        assert upload(client, photo_file()).status_code == 302
    page = parse(client.get(LISTING))
    images = page.findall(".//main//ul[@class='photos']//img")
    assert len(images) == 3 and images[0].get("alt") == "Photo 1 de votre logement"
    assert page.find(".//input[@name='photo']") is None  # three already
    refused = upload(client, photo_file("PNG"))
    assert refused.status_code == 400 and "déjà 3 photos" in text_of(parse(refused).find(".//main"))
    assert count(db) == 3
    first = db.scalars(select(ListingPhoto.id).order_by(ListingPhoto.id)).first()
    token = csrf_token(client, LISTING)
    assert client.post(f"{LISTING}/photos/{first}/suppression", data={"csrf_token": token}).status_code == 302
    assert count(db) == 2


def test_a_file_that_is_not_a_photo_is_refused_and_nothing_kept(db_app, db, cycle):
    client = client_of(db_app, db, cycle[0])
    response = upload(client, b"%PDF-1.4 ...", "bail.pdf")
    assert response.status_code == 400
    page = parse(response)
    assert page.find(".//*[@id='error-summary']//a[@href='#photo']") is not None
    assert page.find(".//input[@id='photo'][@aria-invalid='true']") is not None
    assert "n'est pas une photo" in text_of(page.find(".//main"))
    assert count(db) == 0


def test_who_sees_a_photo(db_app, db, cycle):
    a, b, _c = cycle
    upload(client_of(db_app, db, a), photo_file())
    ident = db.scalar(select(ListingPhoto.id))
    path = f"/fr/echange-de-logement/photos/{ident}.jpg"
    own = client_of(db_app, db, a).get(path)
    assert own.status_code == 200 and own.headers["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(own.data)).format == "JPEG"
    assert own.headers["Cache-Control"] == "private, max-age=3600"
    assert client_of(db_app, db, b).get(path).status_code == 200  # a tenant with a public listing
    assert db_app.test_client().get(path).status_code == 404  # signed out
    hidden = create_listing(db, "d@example.org", a.landlord_id, listing_input(), public=False)
    assert client_of(db_app, db, hidden).get(path).status_code == 404  # not public yet
    swaps = client_of(db_app, db, cycle[2]).get("/fr/echange-de-logement/mes-echanges")
    assert path in swaps.text  # C would move into A's: A's photo is shown to C
