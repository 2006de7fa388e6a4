"""The data layer on SQLite and PostgreSQL: migrations match the models, communes load idempotently."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from portal.migrations import include_name
from portal.models import Base
from portal.territory.models import Commune
from portal.territory.services import communes, read_territory, sync_communes
from tests.factories.territory import create_commune
from tests.support import CONTENT_DIR


def test_migrations_build_exactly_the_schema_of_the_models(db):
    context = MigrationContext.configure(
        db.connection(), opts={"compare_type": True, "include_name": include_name}
    )
    assert compare_metadata(context, Base.metadata) == []


def test_loading_the_territory_twice_changes_nothing(db):
    territory = read_territory(CONTENT_DIR)
    assert sync_communes(db, territory) == (0, 0), "the session fixture loaded it already"
    assert db.scalar(select(func.count()).select_from(Commune)) == 20


def test_loading_the_territory_updates_and_removes_communes(db):
    create_commune(db, insee="99001", name="Ancienne commune")
    le_mans = db.get(Commune, "72181")
    le_mans.name = "Le Mans (ancien nom)"
    db.flush()
    changed, removed = sync_communes(db, read_territory(CONTENT_DIR))
    db.flush()
    assert (changed, removed) == (1, 1)
    assert db.get(Commune, "99001") is None
    assert db.get(Commune, "72181").name == "Le Mans"


def test_communes_are_listed_in_french_alphabetical_order(db_app):
    with db_app.app_context():
        names = [commune.name for commune in communes()]
    assert names[0] == "Aigné"
    assert names.index("Le Mans") < names.index("Mulsanne")
    assert names.index("Sargé-lès-le-Mans") < names.index("Trangé")
    assert names.index("Yvré-l'Évêque") == len(names) - 1


def test_home_page_reads_the_communes_on_each_backend(db_app, db):
    create_commune(db, insee="99002", name="Commune ajoutée")
    response = db_app.test_client().get("/fr/")
    assert "Commune ajoutée" in response.get_data(as_text=True)
