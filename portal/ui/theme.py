"""The territory's theme as CSS custom properties, for the served stylesheet and printed guides."""

from __future__ import annotations

from portal.territory.services import THEME_KEYS


def theme_css(theme: dict) -> str:
    """CSS custom properties from territory.yaml; served as a file so the CSP needs no inline style."""
    lines = [f"  --color-{key.replace('_', '-')}: {theme[key]};" for key in THEME_KEYS]
    return ":root {\n" + "\n".join(lines) + "\n}\n"
