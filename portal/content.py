"""Reading the content files of content/: YAML front matter, Markdown body, territory tokens, links."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from markdown_it import MarkdownIt

TOKEN = re.compile(r"\[\[([a-z_]+)\]\]")
RAW_HTML = re.compile(r"</?[a-zA-Z][^>\n]*>")
SCRIPT_LINK = re.compile(r"\]\(\s*<?\s*(javascript|vbscript|data|file)\s*:", re.IGNORECASE)
_parser = MarkdownIt("commonmark").enable("table")


class ContentError(ValueError):
    """A content file is malformed; the message names the file and what is wrong."""


# libyaml's parser when PyYAML was built with it (its wheels are), the same safe constructor: every app
# start reads the territory, the grids and the dictionary, ten times faster than in pure Python.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str):
    """YAML text's data, with safe types only (yaml.YAMLError when it cannot be parsed)."""
    return yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 - a safe loader


def read_yaml(path: Path):
    """A YAML file's data; ContentError naming the file when it cannot be read or parsed."""
    try:
        return load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError(f"{path}: cannot be read ({exc})") from exc


def split_front_matter(text: str, path: Path) -> tuple[dict, str]:
    """Separate the YAML front matter (between two `---` lines) from the Markdown body."""
    if not text.startswith("---\n"):
        raise ContentError(f"{path}: must start with a `---` front matter block")
    try:
        header, body = text[4:].split("\n---\n", 1)
        meta = load_yaml(header) or {}
    except (ValueError, yaml.YAMLError) as exc:
        raise ContentError(f"{path}: front matter cannot be read ({exc})") from exc
    if not isinstance(meta, dict) or not meta.get("title"):
        raise ContentError(f"{path}: front matter needs a `title`")
    return meta, body


def content_hash(title: str, summary: str, body: str) -> str:
    """Identifies one text of a page; a translation records the hash of the French text it translates."""
    return hashlib.sha256(f"{title}\n{summary}\n{body}".encode()).hexdigest()


def territory_tokens(territory) -> dict[str, str]:
    """The values content may name as [[token]]: they are territory settings, not text."""
    return {"territory": territory.name, **{name: str(value) for name, value in territory.figures.items()}}


def fill_tokens(text: str, tokens: dict[str, str]) -> str:
    return TOKEN.sub(lambda match: tokens.get(match.group(1), match.group(0)), text)


def link_targets(markdown: str) -> list[str]:
    """Every link and image address of a Markdown text."""
    targets = []
    for token in _parser.parse(markdown):
        for child in token.children or ():
            if child.type in ("link_open", "image") and child.attrs.get(
                "href" if child.type == "link_open" else "src"
            ):
                targets.append(str(child.attrs.get("href") or child.attrs.get("src")))
    return targets


def markdown_problems(
    markdown: str,
    *,
    locales: tuple[str, ...],
    resolves: Callable[[str], bool],
    link_hosts: set[str],
    tokens: set[str],
) -> list[str]:
    """What a Markdown body breaks: raw HTML, a top-level heading, unknown tokens, links not allowed."""
    problems = []
    if RAW_HTML.search(markdown):
        problems.append("raw HTML is not allowed")
    # markdown-it already leaves such links as plain text; say so rather than publish a broken link.
    for scheme in sorted(set(SCRIPT_LINK.findall(markdown))):
        problems.append(f"link with a scheme that is not allowed: {scheme}:")
    for token in _parser.parse(markdown):
        if token.type == "heading_open" and token.tag == "h1":
            problems.append("headings start at `##` (the title is the page's only `#`)")
        if any(child.type == "image" for child in token.children or ()):
            problems.append("images are not allowed in pages")
    for name in sorted(set(TOKEN.findall(markdown)) - tokens):
        problems.append(f"unknown token [[{name}]]")
    for target in link_targets(markdown):
        problem = link_problem(target, locales=locales, resolves=resolves, link_hosts=link_hosts)
        if problem:
            problems.append(problem)
    return problems


def link_problem(
    target: str, *, locales: tuple[str, ...], resolves: Callable[[str], bool], link_hosts: set[str]
) -> str:
    """Why a link may not appear in a page, or an empty string when it may; `resolves` tells whether an
    internal path (/fr/…) leads to a page of the portal."""
    parts = urlsplit(target)
    if parts.scheme in ("mailto", "tel"):
        return ""
    if parts.scheme == "https":
        return "" if parts.hostname in link_hosts else f"link to a host that is not allowed: {target}"
    if parts.scheme or parts.netloc:
        return f"link with a scheme that is not allowed: {target}"
    segments = parts.path.strip("/").split("/", 1)
    if not parts.path.startswith("/") or segments[0] not in locales:
        return f"internal links start with a language, like /fr/…: {target}"
    return "" if resolves(parts.path) else f"link to an unknown page: {target}"
