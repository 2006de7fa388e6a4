"""Supported locales, locale selection from the URL, text direction, language links."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from flask import Flask, current_app, g, request, session, url_for
from flask_babel import Babel, format_date, get_translations
from werkzeug.routing import BaseConverter, BuildError

from portal.config import PROJECT_ROOT, ConfigError

TRANSLATIONS_DIR = PROJECT_ROOT / "translations"


@dataclass(frozen=True)
class LocaleInfo:
    """What a template needs to know about a locale: tag, direction, its own name."""

    code: str
    direction: str
    autonym: str

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"


def locale_info(code: str) -> LocaleInfo:
    babel_locale = Locale.parse(code)
    autonym = babel_locale.get_display_name(babel_locale) or code
    return LocaleInfo(
        code=code,
        direction="rtl" if babel_locale.text_direction == "rtl" else "ltr",
        autonym=autonym[:1].upper() + autonym[1:],
    )


def locale_converter(codes: tuple[str, ...]) -> type[BaseConverter]:
    """A URL converter that matches only the configured locale codes, so /xx/… is a plain 404."""
    pattern = "(?:" + "|".join(sorted(codes, key=len, reverse=True)) + ")"
    return type("LocaleConverter", (BaseConverter,), {"regex": pattern})


def check_catalogs(codes: tuple[str, ...], directory: Path = TRANSLATIONS_DIR) -> None:
    """Fail at start, not at the first request, when a locale has no compiled catalog."""
    missing = [code for code in codes if not (directory / code / "LC_MESSAGES" / "messages.mo").is_file()]
    if missing:
        raise ConfigError(f"no compiled catalog for {', '.join(missing)} in {directory}: run `make compile`")


def init_app(app: Flask) -> None:
    codes = app.config["PORTAL_SETTINGS"].locales
    check_catalogs(codes)
    app.extensions["portal.locales"] = {code: locale_info(code) for code in codes}
    app.url_map.converters["locale"] = locale_converter(codes)
    Babel(app, locale_selector=selected_locale)
    app.jinja_env.filters["format_date_long"] = lambda value: format_date(value, "long")
    app.url_value_preprocessor(_pull_lang_code)
    app.url_defaults(_add_lang_code)
    app.context_processor(_template_globals)


def _template_globals() -> dict:
    return {"localeinfo": current_localeinfo(), "language_links": language_links}


def locales() -> dict[str, LocaleInfo]:
    return current_app.extensions["portal.locales"]


def negotiated_locale() -> str:
    """The best supported locale for this browser, French by default."""
    codes = list(locales())
    return request.accept_languages.best_match(codes, default=codes[0]) if request else codes[0]


def selected_locale() -> str:
    """The locale of the current request: the URL prefix, else the first path part, else the browser."""
    code = g.get("lang_code")
    if code:
        return code
    if request:
        first = request.path.strip("/").split("/", 1)[0]
        if first in locales():
            return first
        if first == "partenaires":  # the partners' workspace: French unless they chose another language
            return session.get("partner_locale") or "fr"
    return negotiated_locale()


def current_localeinfo() -> LocaleInfo:
    return locales()[selected_locale()]


def _pull_lang_code(_endpoint: str | None, values: dict | None) -> None:
    if values and "lang_code" in values:
        g.lang_code = values.pop("lang_code")


def _add_lang_code(endpoint: str, values: dict) -> None:
    if "lang_code" not in values and current_app.url_map.is_endpoint_expecting(endpoint, "lang_code"):
        values["lang_code"] = selected_locale()


def language_links() -> list[tuple[LocaleInfo, str]]:
    """For each locale, the URL of this same page in that locale (the home page if it has none)."""
    if "language_links" in g:
        return g.language_links
    links = []
    endpoint = request.endpoint if request.url_rule is not None else None
    expects_lang = endpoint and current_app.url_map.is_endpoint_expecting(endpoint, "lang_code")
    # The query string is copied as it is: its names must never reach url_for's own options.
    query = "?" + request.query_string.decode("latin-1") if request.query_string else ""
    for code, info in locales().items():
        url = None
        if expects_lang:
            try:
                url = url_for(endpoint, **(request.view_args or {}), lang_code=code) + query
            except BuildError:
                url = None
        if url is None and request.path.startswith("/partenaires/") and request.url_rule is not None:
            url = (
                request.path + f"?lang={code}"
            )  # the workspace keeps its URLs; the choice goes in the session
        links.append((info, url or url_for("site.home", lang_code=code)))
    g.language_links = links
    return links


def ngettext_signed(singular: str, plural: str, value: int) -> str:
    """A count that may be negative (a penalty): the plural form follows its size, the sign is shown."""
    return get_translations().ngettext(singular, plural, abs(value)) % {"num": value}
