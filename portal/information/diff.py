"""Side-by-side comparison of two versions of a page, for the review: changed lines face each other, and
long runs of unchanged lines fold into one row so that a reviewer reads what changed."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

CONTEXT = 2  # unchanged lines shown around each change


@dataclass(frozen=True)
class DiffRow:
    """One row of a side-by-side comparison: kind is equal, removed, added, changed, or skipped (a run of
    `skipped` unchanged lines not shown)."""

    kind: str
    old: str | None
    new: str | None
    old_number: int | None
    new_number: int | None
    skipped: int = 0


def _rows(tag: str, old_lines: list[str], new_lines: list[str], a1: int, a2: int, b1: int, b2: int):
    if tag == "equal":
        for i in range(a2 - a1):
            yield DiffRow("equal", old_lines[a1 + i], new_lines[b1 + i], a1 + i + 1, b1 + i + 1)
        return
    for i in range(max(a2 - a1, b2 - b1)):
        left = old_lines[a1 + i] if a1 + i < a2 else None
        right = new_lines[b1 + i] if b1 + i < b2 else None
        if left is not None and right is not None:
            kind = "changed"
        else:
            kind = "removed" if right is None else "added"
        yield DiffRow(
            kind,
            left,
            right,
            a1 + i + 1 if left is not None else None,
            b1 + i + 1 if right is not None else None,
        )


def side_by_side(old: str, new: str, context: int = CONTEXT) -> list[DiffRow]:
    """The lines of two texts paired for reading side by side; unchanged lines further than `context`
    lines from a change are folded into `skipped` rows."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    rows: list[DiffRow] = []
    shown_until = 0  # lines of the old text already shown or folded
    for group in matcher.get_grouped_opcodes(context):
        first = group[0][1]
        if first > shown_until:
            rows.append(DiffRow("skipped", None, None, None, None, skipped=first - shown_until))
        for opcode in group:
            rows.extend(_rows(*opcode[:1], old_lines, new_lines, *opcode[1:]))
        shown_until = group[-1][2]
    if rows and shown_until < len(old_lines):
        rows.append(DiffRow("skipped", None, None, None, None, skipped=len(old_lines) - shown_until))
    return rows


def compare(old, new) -> dict[str, list[DiffRow]]:
    """Title, summary and body (any objects with those attributes) compared; fields that did not change
    are left out."""
    return {
        name: side_by_side(getattr(old, name), getattr(new, name))
        for name in ("title", "summary", "body")
        if getattr(old, name) != getattr(new, name)
    }
