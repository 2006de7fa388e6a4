"""CSV files people exchange with a spreadsheet: the small ones they upload (UTF-8, with or without its
mark, or Windows-1252; separated by semicolons as French Excel does, commas or tabs), and the cells of the
ones they download, never run as formulas."""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Iterator


def decode(raw: bytes) -> str | None:
    """The file's text, or None when it is neither UTF-8 nor Windows-1252."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def rows(text: str) -> Iterator[list[str]]:
    """The file's rows, the separator found from its first line."""
    dialect = csv.excel
    with contextlib.suppress(csv.Error):  # one column only: no separator to find
        dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=";,\t")
    return csv.reader(io.StringIO(text), dialect)


def spreadsheet_safe(value):
    """Text a spreadsheet would run as a formula (=, +, -, @ first) is prefixed with an apostrophe (CSV
    injection); other values are returned as they are."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
