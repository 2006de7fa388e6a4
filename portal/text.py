"""Small text helpers shared by the areas."""

from __future__ import annotations

import re
import unicodedata


def folded(value: str) -> str:
    """Lower-case, accent-free form of a text, for sorting and accent-insensitive matching."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def slugify(value: str) -> str:
    """A URL part from a name: "Yvré-l'Évêque" -> "yvre-l-eveque"."""
    return re.sub(r"[^a-z0-9]+", "-", folded(value)).strip("-")
