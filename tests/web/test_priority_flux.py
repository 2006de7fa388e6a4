"""The yearly flux report on both backends, against a hand count: a landlord's (by holder, type, financing,
QPV, commune, period, and the forecast) and a reservation holder's (by landlord); who reads which; the
spreadsheet and the printed PDF (a job)."""

from __future__ import annotations

import datetime as dt
import io

import pypdf
import pytest

from portal.demands.models import Allocation, HousingStock
from portal.priority import flux
from tests.factories.partners import create_organisation, create_partner
from tests.pagecheck import csrf_token
from tests.support import sign_in

# (landlord, offered_to, holder, type, financing, in QPV, commune, built, day)
ROWS = [
    ("oph", "collecteur", "collecteur", "T3", "PLUS", False, "72181", 1972, dt.date(2026, 2, 3)),
    ("oph", "collecteur", "oph", "T2", "PLAI", True, "72095", 2016, dt.date(2026, 3, 3)),  # given back
    ("oph", "prefecture", "prefecture", "T3", "PLUS", False, "72181", None, dt.date(2026, 4, 3)),
    ("oph", "collecteur", "collecteur", "T3", "PLUS", False, "72181", 1990, dt.date(2026, 5, 3)),
    ("sa-hlm", "collecteur", "collecteur", "T4", "PLS", False, "72181", 2005, dt.date(2026, 6, 3)),
    ("oph", "collecteur", "collecteur", "T3", "PLUS", False, "72181", 1990, dt.date(2025, 6, 3)),  # last year
]


@pytest.fixture
def people(db):
    epci = create_organisation(db, "metropole", "epci")
    oph = create_organisation(db, "oph", "landlord")
    sa = create_organisation(db, "sa-hlm", "landlord")
    holder = create_organisation(db, "collecteur", "action_logement")
    for index, (landlord, offered, holder_slug, kind, financing, qpv, commune, built, day) in enumerate(ROWS):
        db.add(
            Allocation(
                demand_number=f"07201260000{index:02d}G0101", allocated_on=day, commune_insee=commune,
                dwelling_type=kind, landlord=landlord, offered_to=offered, holder=holder_slug,
                financing=financing,
                in_qpv=qpv, built_year=built,
            )
        )  # fmt: skip
    for year, dwellings in ((2026, 100), (2027, 150)):
        db.add(
            HousingStock(
                year=year, commune_insee="72181", dwelling_type="T3", landlord="oph", dwellings=dwellings
            )
        )
    db.flush()
    return {
        "epci_editor": create_partner(db, "editeur@metropole.fr", {epci: ["editor"]}),
        "oph_editor": create_partner(db, "editeur@oph.fr", {oph: ["editor"]}),
        "sa_editor": create_partner(db, "editeur@sa-hlm.fr", {sa: ["editor"]}),
        "holder_editor": create_partner(db, "editeur@collecteur.fr", {holder: ["editor"]}),
    }


def as_dict(rows):
    return {key: (counts.offered, counts.allocated) for key, counts in rows}


def test_a_landlords_report_against_a_hand_count(db, people):
    cells = flux.report(db, 2026, "landlord", ("oph", "Organisation oph"))
    assert as_dict(flux.totals(cells, "holder")) == {
        ("collecteur",): (3, 2),
        ("oph",): (0, 1),
        ("prefecture",): (1, 1),
    }
    assert as_dict(flux.totals(cells, "dwelling_type")) == {("T2",): (1, 1), ("T3",): (3, 3)}
    assert as_dict(flux.totals(cells, "in_qpv")) == {(False,): (3, 3), (True,): (1, 1)}
    assert as_dict(flux.totals(cells, "period")) == {
        ("1949_1974",): (1, 1),
        ("1990_2004",): (1, 1),
        ("since_2015",): (1, 1),
        ("unknown",): (1, 1),
    }
    assert as_dict(flux.totals(cells, "financing")) == {("PLAI",): (1, 1), ("PLUS",): (3, 3)}
    # T3 offered to the collecteur: 2 this year, the stock of T3 grows from 100 to 150: 3 next year.
    assert dict(flux.forecast(db, 2026, cells))[("oph", "collecteur", "T3")] == 3
    assert (
        dict(flux.forecast(db, 2026, cells))[("oph", "collecteur", "T2")] == 1
    )  # no stock figure: unchanged
    holder = flux.report(db, 2026, "holder", ("collecteur",))
    assert as_dict(flux.totals(holder, "landlord")) == {("oph",): (3, 2), ("sa-hlm",): (1, 1)}
    assert flux.due_on(2027) == dt.date(2028, 2, 29)


def test_each_partner_reads_its_own_report(db_app, db, people, backend):
    client = db_app.test_client()
    sign_in(client, "editeur@oph.fr")
    page = client.get("/partenaires/prioritaires/flux?annee=2026&vue=landlord&nom=oph")
    assert page.status_code == 200 and "28 février 2027" in page.text
    assert client.get("/partenaires/prioritaires/flux?annee=2026&vue=landlord&nom=sa-hlm").status_code == 403
    assert (
        client.get("/partenaires/prioritaires/flux?annee=2026&vue=holder&nom=collecteur").status_code == 403
    )
    sheet = client.get("/partenaires/prioritaires/flux.csv?annee=2026&vue=landlord&nom=oph")
    lines = sheet.data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("landlord;holder;dwelling_type") and len(lines) == 1 + 5
    assert "oph;collecteur;T2;PLAI;1;72095;since_2015;1;0" in lines
    client.post("/partenaires/deconnexion", data={"csrf_token": csrf_token(client, "/partenaires/")})
    sign_in(client, "editeur@collecteur.fr")
    assert (
        client.get("/partenaires/prioritaires/flux?annee=2026&vue=holder&nom=collecteur").status_code == 200
    )
    assert client.get("/partenaires/prioritaires/flux?annee=2026&vue=landlord&nom=oph").status_code == 403
    client.post("/partenaires/deconnexion", data={"csrf_token": csrf_token(client, "/partenaires/")})
    sign_in(client, "editeur@metropole.fr")
    listing = client.get("/partenaires/prioritaires/flux?annee=2026")
    for name in ("nom=oph", "nom=sa-hlm", "nom=collecteur", "nom=prefecture"):
        assert name in listing.text
    if backend == "postgresql":
        return  # the PDF prints the same figures; one print is enough
    url = "/partenaires/prioritaires/flux/impression?annee=2026&vue=landlord&nom=oph"
    started = client.post(url, data={"csrf_token": csrf_token(client, "/partenaires/")})
    assert started.status_code == 302 and "/partenaires/travaux/" in started.location
    job = client.get(started.location)
    assert "/partenaires/prioritaires/flux/2026/landlord/oph.pdf" in job.text
    printed = client.get("/partenaires/prioritaires/flux/2026/landlord/oph.pdf")
    assert printed.mimetype == "application/pdf"
    text = " ".join(
        " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(printed.data)).pages).split()
    )
    assert "collecteur" in text and "1949 à 1974" in text
