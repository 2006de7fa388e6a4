"""Pure parts of the desk search: distance, one-letter typos, commune and postcode matching."""

from __future__ import annotations

import pytest

from portal.desks.services import find_communes, haversine_km, within_one_edit
from portal.territory.models import Commune
from portal.territory.services import read_territory
from tests.support import CONTENT_DIR

COMMUNES = [
    Commune(
        insee=item.insee,
        name=item.name,
        postcodes=" ".join(item.postcodes),
        latitude=item.latitude,
        longitude=item.longitude,
        ceiling_zone=item.ceiling_zone,
    )
    for item in read_territory(CONTENT_DIR).communes
]


def test_haversine_between_two_known_points():
    # Le Mans cathedral to Paris Notre-Dame is about 185 km.
    assert haversine_km(48.0085, 0.1980, 48.8530, 2.3499) == pytest.approx(185, abs=3)
    assert haversine_km(48.0, 0.2, 48.0, 0.2) == 0


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("allonnes", "allones", True),
        ("allonnes", "allonnez", True),
        ("allonnes", "alonnes", True),
        ("allonnes", "allonne", True),
        ("allonnes", "alones", False),
        ("mulsanne", "arnage", False),
        ("fay", "fay", True),
    ],
)
def test_one_letter_typo_is_tolerated(a, b, expected):
    assert within_one_edit(a, b) is expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Allonnes", ["Allonnes"]),
        ("allones", ["Allonnes"]),
        ("YVRE L'EVEQUE", ["Yvré-l'Évêque"]),
        ("sarge les le mans", ["Sargé-lès-le-Mans"]),
        ("72230", ["Arnage", "Mulsanne", "Ruaudin"]),
        ("Saint-G", ["Saint-Georges-du-Bois"]),
        ("le mans", ["Le Mans"]),
        ("Paris", []),
        ("75001", []),
        ("", []),
    ],
)
def test_communes_are_found_by_name_or_postcode(query, expected):
    assert sorted(commune.name for commune in find_communes(COMMUNES, query)) == expected
