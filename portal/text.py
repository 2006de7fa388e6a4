"""Small text helpers shared by the areas."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation


def folded(value: str) -> str:
    """Lower-case, accent-free form of a text, for sorting and accent-insensitive matching."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def slugify(value: str) -> str:
    """A URL part from a name: "Yvré-l'Évêque" -> "yvre-l-eveque"."""
    return re.sub(r"[^a-z0-9]+", "-", folded(value)).strip("-")


def parse_euros(value: str) -> Decimal | None:
    """A sum of euros written the French way or not ("612,50", "1 234.5 €"), to the cent; None when it is
    not one (or not between 0 and 100,000)."""
    cleaned = value.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("€", "")
    try:
        number = Decimal(cleaned.replace(",", "."))
    except InvalidOperation:
        return None
    return number.quantize(Decimal("0.01")) if number.is_finite() and 0 <= number < 100_000 else None
