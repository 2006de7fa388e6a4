"""The rules of each part of a grid file (criteria, computed facts, ties, exclusions), checked against the
dictionary of facts; every message starts with where the part is (file, criterion, field)."""

from __future__ import annotations

import ast
import re
from itertools import pairwise

from portal.content import ContentError
from portal.cotation.dictionary import DWELLING_TYPES, Dictionary, texts
from portal.cotation.engine import (
    EVENT_KINDS,
    KINDS,
    VERIFICATIONS,
    Band,
    Criterion,
    Exclusion,
    Scope,
    Step,
    Tie,
)
from portal.cotation.expressions import ExpressionError, parse

TIE_FACTS = ("filed_on", "household_size")


def whole_number(raw, key: str, where: str, required: bool = True) -> int | None:
    value = raw.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise ContentError(f"{where}: `{key}` must be a whole number")
    return value


def is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# The fact types each kind of criterion reads.
READS = {
    "flag": ("yes_no",),
    "per_month": ("date",),
    "since": ("date",),
    "bands": ("number", "count"),
    "steps": ("number", "count"),
    "count": ("count", "number"),
}
NEGATIVE_ALLOWED = ("flag", "count", "events", "condition")


def check_steps(raw, where: str) -> tuple[Step, ...]:
    items = raw.get("steps")
    if not isinstance(items, list) or not items:
        raise ContentError(
            f"{where}: `steps` must list steps like {{from: 24, points: 10}} or {{above: 36, points: 20}}"
        )
    steps = []
    for index, item in enumerate(items):
        here = f"{where}: steps[{index}]"
        if not isinstance(item, dict) or len({"from", "above"} & set(item)) != 1:
            raise ContentError(f"{here}: give either `from` (reached) or `above` (strictly exceeded)")
        strict = "above" in item
        threshold = item["above" if strict else "from"]
        if not is_number(threshold):
            raise ContentError(f"{here}: `{'above' if strict else 'from'}` must be a number")
        steps.append(Step(float(threshold), strict, whole_number(item, "points", here)))
    for first, second in pairwise(steps):
        if (second.threshold, second.strict) <= (first.threshold, first.strict):
            raise ContentError(f"{where}: `steps` overlap or are not in increasing order")
    return tuple(steps)


def check_bands(raw, where: str) -> tuple[Band, ...]:
    raw_bands = raw.get("bands")
    if not isinstance(raw_bands, list) or not raw_bands:
        raise ContentError(f"{where}: `bands` must list bands like {{min: 30, max: 40, points: 5}}")
    bands = []
    for index, item in enumerate(raw_bands):
        here = f"{where}: bands[{index}]"
        if not isinstance(item, dict) or not is_number(item.get("min")):
            raise ContentError(f"{here}: needs a number `min`")
        maximum = item.get("max")
        if maximum is not None and (not is_number(maximum) or maximum <= item["min"]):
            raise ContentError(f"{here}: `max` must be a number above `min`")
        bands.append(
            Band(
                float(item["min"]),
                float(maximum) if maximum is not None else None,
                whole_number(item, "points", here),
            )
        )
    for first, second in pairwise(bands):
        if first.maximum is None or second.minimum < first.maximum:
            raise ContentError(f"{where}: `bands` overlap or are not in increasing order")
    return tuple(bands)


def check_scope(raw, where: str) -> Scope | None:
    value = raw.get("scope")
    if value is None:
        return None
    if not isinstance(value, dict) or not set(value) <= {"communes", "dwelling_types"} or not value:
        raise ContentError(f"{where}: `scope` lists `communes` (INSEE codes) and/or `dwelling_types`")
    communes = value.get("communes") or []
    dwellings = value.get("dwelling_types") or []
    if not isinstance(communes, list) or not all(re.fullmatch(r"\d[0-9AB]\d{3}", str(c)) for c in communes):
        raise ContentError(f"{where}: `scope.communes` lists INSEE codes of 5 characters, like 72181")
    if not isinstance(dwellings, list) or not all(d in DWELLING_TYPES for d in dwellings):
        raise ContentError(f"{where}: `scope.dwelling_types` lists types among {', '.join(DWELLING_TYPES)}")
    return Scope(tuple(str(c) for c in communes), tuple(dwellings))


def check_condition(text, where: str, types: dict, choices: dict) -> str:
    try:
        checked = parse(text, types, choices)
    except ExpressionError as exc:
        raise ContentError(f"{where}: {exc}") from None
    if checked.kind != "yes_no":
        raise ContentError(f"{where}: a condition is yes or no, not a {checked.kind}")
    return text.strip()


def check_criterion(
    raw, where: str, groups: set[str], types: dict, choices: dict, dictionary: Dictionary
) -> Criterion:
    if not isinstance(raw, dict):
        raise ContentError(f"{where}: must be a mapping")
    code = raw.get("code")
    if not isinstance(code, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", code):
        raise ContentError(f"{where}: `code` must be lower-case letters, digits and _")
    where = f"{where.rsplit(':', 1)[0]}: criterion `{code}`"
    kind = raw.get("kind")
    if kind not in KINDS:
        raise ContentError(f"{where}: `kind` must be one of {', '.join(KINDS)}")
    fact = raw.get("fact") or ""
    if kind == "condition":
        if fact:
            raise ContentError(f"{where}: a `condition` criterion reads no `fact`, only its `when`")
        if not raw.get("when"):
            raise ContentError(f"{where}: a `condition` criterion needs its condition in `when`")
    elif kind == "events":
        if fact not in EVENT_KINDS:
            raise ContentError(f"{where}: `fact` names the events counted, one of {', '.join(EVENT_KINDS)}")
    elif fact not in types:
        raise ContentError(f"{where}: unknown fact `{fact}` (not in the dictionary nor computed by the grid)")
    elif types[fact] not in READS[kind]:
        raise ContentError(
            f"{where}: kind {kind} reads a {' or '.join(READS[kind])} fact; `{fact}` is a {types[fact]}"
        )
    known = dictionary.get(fact)
    default = known.verification if known else ("declared" if kind == "condition" else "computed")
    verification = raw.get("verification", default)
    if verification not in VERIFICATIONS:
        raise ContentError(f"{where}: `verification` must be one of {', '.join(VERIFICATIONS)}")
    group = raw.get("group")
    if group is not None and group not in groups:
        raise ContentError(f"{where}: `group` {group!r} is not declared under `groups`")
    bands = check_bands(raw, where) if kind == "bands" else ()
    steps = check_steps(raw, where) if kind == "steps" else ()
    points = 0 if kind in ("bands", "steps") else whole_number(raw, "points", where)
    if points < 0 and kind not in NEGATIVE_ALLOWED:
        raise ContentError(
            f"{where}: negative `points` (a penalty) are for kinds {', '.join(NEGATIVE_ALLOWED)}"
        )
    cap = whole_number(raw, "cap", where, required=False)
    if cap is not None and (cap <= 0 or kind not in ("per_month", "count", "events")):
        raise ContentError(f"{where}: `cap` is a positive number, for kinds per_month, count and events")
    months = whole_number(raw, "months", where, required=False)
    fade = whole_number(raw, "fade", where, required=False)
    if months is not None and (months <= 0 or kind not in ("since", "events")):
        raise ContentError(f"{where}: `months` is a positive number, for kinds since and events")
    if fade is not None and (fade <= 0 or kind != "since"):
        raise ContentError(f"{where}: `fade` (points lost a month) is a positive number, for kind since")
    if kind == "since" and ((months is None and fade is None) or points <= 0):
        raise ContentError(f"{where}: kind since needs positive `points` and `months`, `fade` or both")
    if kind == "events" and months is None:
        raise ContentError(
            f"{where}: kind events needs `months`, the window counted (12: the last 12 months)"
        )
    when = check_condition(raw["when"], f"{where}: `when`", types, choices) if raw.get("when") else None
    return Criterion(
        code,
        str(raw.get("family", "")),
        kind,
        fact,
        points,
        cap,
        bands,
        group,
        verification,
        steps,
        when,
        check_scope(raw, where),
        months,
        fade,
    )


def check_computed_facts(
    raw, where: str, types: dict, choices: dict
) -> tuple[list[tuple[str, str]], dict, dict]:
    """(name, expression) in an order where each reads only earlier ones, their types, their labels."""
    items = raw.get("computed") or {}
    if not isinstance(items, dict):
        raise ContentError(
            f"{where}: `computed` maps each computed fact's name to its `expression` and `label`"
        )
    for name, item in items.items():
        if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", name):
            raise ContentError(
                f"{where}: computed fact names are lower-case letters, digits and _ ({name!r})"
            )
        if name in types:
            raise ContentError(f"{where}: computed fact `{name}` has the name of a fact of the dictionary")
        if not isinstance(item, dict) or not isinstance(item.get("expression"), str):
            raise ContentError(f"{where}: computed fact `{name}` needs an `expression`")
    order: list[tuple[str, str]] = []
    kinds: dict[str, str] = {}
    labels: dict[str, dict[str, str]] = {}

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in kinds:
            return
        if name in path:
            cycle = " → ".join(f"`{step}`" for step in (*path[path.index(name) :], name))
            raise ContentError(f"{where}: computed facts {cycle} form a cycle")
        here = f"{where}: computed fact `{name}`"
        text = items[name]["expression"]
        try:
            tree = ast.parse(text.strip(), mode="eval")
        except SyntaxError as exc:
            raise ContentError(f"{here}: `{text.strip()}` cannot be read ({exc.msg})") from None
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id in items:
                visit(node.id, (*path, name))
        try:
            checked = parse(text, {**types, **kinds}, choices)
        except ExpressionError as exc:
            raise ContentError(f"{here}: {exc}") from None
        if checked.kind not in ("number", "yes_no"):
            raise ContentError(f"{here}: a computed fact is a number or yes/no, not a {checked.kind}")
        kinds[name] = checked.kind
        labels[name] = texts(items[name], here, "label", True)
        order.append((name, text.strip()))

    for name in items:
        visit(name, ())
    return order, kinds, labels


def check_ties(raw, where: str) -> tuple[Tie, ...]:
    items = raw.get("ties", ["filed_on"])
    if not isinstance(items, list) or not items:
        raise ContentError(f"{where}: `ties` lists the order among equal totals, like [filed_on]")
    ties = []
    for item in items:
        fact, order = (
            (item, "ascending")
            if isinstance(item, str)
            else (
                (item.get("fact"), item.get("order", "ascending")) if isinstance(item, dict) else (None, None)
            )
        )
        if fact not in TIE_FACTS or order not in ("ascending", "descending"):
            raise ContentError(
                f"{where}: `ties` items are {' or '.join(TIE_FACTS)}, "
                "or {{fact: …, order: ascending|descending}}"
            )
        ties.append(Tie(fact, order == "descending"))
    if len({tie.fact for tie in ties}) != len(ties):
        raise ContentError(f"{where}: `ties` names a fact twice")
    return tuple(ties)


def check_exclusions(raw, where: str, types: dict, choices: dict) -> tuple[tuple[Exclusion, ...], dict]:
    items = raw.get("exclusions") or []
    if not isinstance(items, list):
        raise ContentError(
            f"{where}: `exclusions` lists {{code, when, reason}}: demands the grid does not score"
        )
    exclusions, reasons = [], {}
    for index, item in enumerate(items):
        here = f"{where}: exclusions[{index}]"
        code = item.get("code") if isinstance(item, dict) else None
        if not isinstance(code, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", code) or code in reasons:
            raise ContentError(f"{here}: `code` must be lower-case letters, digits and _, used once")
        here = f"{where}: exclusion `{code}`"
        if not item.get("when"):
            raise ContentError(f"{here}: needs its condition in `when`")
        exclusions.append(Exclusion(code, check_condition(item["when"], f"{here}: `when`", types, choices)))
        reasons[code] = texts(item, here, "reason", True)
    return tuple(exclusions), reasons
