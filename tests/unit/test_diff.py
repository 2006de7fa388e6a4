"""The review's side-by-side comparison: changed lines face each other, unchanged runs fold."""

from __future__ import annotations

from portal.information.diff import compare, side_by_side


def kinds(rows) -> list[str]:
    return [row.kind for row in rows]


def test_a_changed_line_faces_its_old_self_and_far_unchanged_lines_fold():
    old = "\n".join(f"line {n}" for n in range(1, 21))
    new = old.replace("line 10", "line ten")
    rows = side_by_side(old, new, context=2)
    assert kinds(rows) == ["skipped", "equal", "equal", "changed", "equal", "equal", "skipped"]
    assert (rows[0].skipped, rows[-1].skipped) == (7, 8)  # lines 1-7 and 13-20
    changed = rows[3]
    assert (changed.old, changed.new, changed.old_number, changed.new_number) == (
        "line 10",
        "line ten",
        10,
        10,
    )


def test_added_and_removed_lines_have_an_empty_side():
    rows = side_by_side("a\nb\nc", "a\nc\nd", context=5)
    assert [(row.kind, row.old, row.new) for row in rows] == [
        ("equal", "a", "a"),
        ("removed", "b", None),
        ("equal", "c", "c"),
        ("added", None, "d"),
    ]


def test_identical_texts_give_no_rows_and_compare_leaves_out_unchanged_fields():
    assert side_by_side("same\ntext", "same\ntext") == []

    class Texts:
        def __init__(self, title, summary, body):
            self.title, self.summary, self.body = title, summary, body

    changes = compare(Texts("T", "S", "a\nb"), Texts("T", "S2", "a\nb"))
    assert list(changes) == ["summary"]
