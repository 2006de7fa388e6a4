"""The page checker: every HTML page the web tests fetch must pass it (see conftest.CheckedClient)."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

import html5lib

LOCAL_HOSTS = {"localhost", "127.0.0.1", ""}


class PageProblem(AssertionError):
    """The page breaks one of the portal's rules for every page."""


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def check_page(
    html: str,
    *,
    csp_header: str | None,
    rtl_locales: set[str],
    error_prefixes: dict[str, str],
    host: str = "localhost",
    link_hosts: frozenset[str] = frozenset(),
) -> None:
    """Raise PageProblem naming every rule the page breaks."""
    document = html5lib.parse(html, namespaceHTMLElements=False)
    problems = []
    root = document
    lang, direction = root.get("lang"), root.get("dir")
    if not lang:
        problems.append("<html> has no lang")
    if direction not in ("ltr", "rtl"):
        problems.append("<html> has no dir")
    elif lang and (direction == "rtl") != (lang in rtl_locales):
        problems.append(f"<html lang={lang}> has dir={direction}")
    headings = root.findall(".//h1")
    if len(headings) != 1:
        problems.append(f"{len(headings)} <h1> on the page, expected exactly one")
    title_element = root.find(".//head/title")
    title = _text(title_element) if title_element is not None else ""
    if headings:
        h1 = _text(headings[0])
        prefix = " ".join(error_prefixes.get(lang or "", "Error:").split())
        if not (title.startswith(h1) or title.startswith(f"{prefix} {h1}")):
            problems.append(f"<title> {title!r} does not begin with the <h1> {h1!r}")
    if root.find(".//main") is None:
        problems.append("no <main>")
    ids = Counter(element.get("id") for element in root.iter() if element.get("id"))
    duplicated = sorted(identifier for identifier, count in ids.items() if count > 1)
    if duplicated:
        problems.append(f"duplicate ids: {duplicated}")
    for anchor in root.iter("a"):
        href = anchor.get("href", "")
        if href.startswith("#") and len(href) > 1 and href[1:] not in ids:
            problems.append(f"link to a missing id {href}")
    for form in root.iter("form"):
        if not form.get("action"):
            problems.append("a <form> has no action")
        # A GET form changes nothing and must not put the token into URLs and logs. A form with a prefix
        # (several forms on a page) names it "<prefix>-csrf_token", which the CSRF protection accepts too.
        tokens = [field for field in form.iter("input") if (field.get("name") or "").endswith("csrf_token")]
        if form.get("method", "get").lower() == "post" and not tokens:
            problems.append(f"POST form {form.get('action')} has no CSRF token")
    nonce = None
    if csp_header:
        match = re.search(r"'nonce-([^']+)'", csp_header)
        nonce = match.group(1) if match else None
    for script in root.iter("script"):
        if script.get("type") == "application/ld+json":
            continue
        if not nonce or script.get("nonce") != nonce:
            problems.append(f"<script src={script.get('src')}> does not carry the CSP nonce")
    for image in root.iter("img"):
        if image.get("alt") is None:
            problems.append(f"<img src={image.get('src')}> has no alt")
    for element in root.iter():
        for attribute in ("href", "src", "action", "srcset", "poster", "data"):
            value = (element.get(attribute) or "").strip()
            parts = urlsplit(value)
            if not (parts.scheme in ("http", "https") or value.startswith("//")):
                continue
            if parts.hostname in LOCAL_HOSTS | {host}:
                continue
            # A link a person follows may lead to the allowed public services, over https;
            # nothing the page loads (src, stylesheets, form actions) may come from another host.
            if (
                element.tag == "a"
                and attribute == "href"
                and parts.scheme == "https"
                and parts.hostname in link_hosts
            ):
                continue
            problems.append(f"<{element.tag} {attribute}={value}> points to another host")
        if element.get("style") is not None:
            problems.append(f"<{element.tag}> has an inline style (the CSP forbids it)")
    if problems:
        raise PageProblem("; ".join(problems))


def parse(response):
    """The HTML of a test-client response as an element tree (html5lib, no namespaces)."""
    return html5lib.parse(response.get_data(as_text=True), namespaceHTMLElements=False)


def text_of(element) -> str:
    """The text of an element, white space folded as a reader sees it."""
    return " ".join("".join(element.itertext()).split())


def csrf_token(client, url: str, **kwargs) -> str:
    """The CSRF token of the form on a page, as a browser would send it back."""
    return parse(client.get(url, **kwargs)).find(".//input[@name='csrf_token']").get("value")
