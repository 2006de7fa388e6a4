"""The grids' small expression language: computed facts ("months_since(separated_on)", "rent * 12 / income")
and conditions ("dependants >= 1 and not hosted", "checked(violence)").

An expression is parsed with Python's `ast` module (mode "eval") and only a short list of node kinds is
accepted: numbers, strings, true/false, fact names, + - * /, comparisons, and / or / not, and calls of the
functions below. Nothing is ever passed to `eval`: the checked tree is turned into closures. Each name is
checked against the facts' types, so a grid that compares a date with a number is refused when it loads.

Unknown values: a missing yes/no fact is no, a missing count is 0, a missing number, date or category is
unknown (None); arithmetic on an unknown gives unknown, and a comparison with an unknown does not hold.
"""

from __future__ import annotations

import ast
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from portal.information.eligibility import PRODUCTS, Ceilings, Household, ceiling, household_category

# What a fact or an expression can be. `count` facts are numbers that are never missing (0).
TYPES = ("yes_no", "number", "count", "date", "category")
MAX_LENGTH = 500


class ExpressionError(ValueError):
    """An expression the language does not accept; the message says why, for the grid's author."""


@dataclass(frozen=True)
class Context:
    """What expressions read beside the demand's facts: the day of the score and the income ceilings in
    force with the zone they are read in (None: no ceiling is known)."""

    on_date: dt.date
    checked: frozenset[str] = frozenset()
    ceilings: tuple[Ceilings, str] | None = None


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from start to end (0 when end is before start): 15 Jan to 14 Mar is 1 month."""
    months = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    return max(0, months)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the month's last day when it is shorter (31 Jan + 1 = 28 or 29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return dt.date(year, month, min(day.day, (following - dt.timedelta(days=1)).day))


def consumption_units(size, children):
    """INSEE's (modified OECD) scale: 1 for the first adult, 0.5 for each other person of 14 or more,
    0.3 for each child under 14."""
    if size is None or size < 1:
        return None
    children = min(max(children or 0, 0), size - 1)
    return 1 + 0.5 * (size - 1 - children) + 0.3 * children


def income_ceiling(context: Context, product, size, dependants=0, disability=False):
    """The yearly income ceiling of a household for a financing (PLAI, PLUS, PLS), by the eligibility
    checker's own rules (portal.information.eligibility): its category from its size, one step up for a
    single adult with dependants or a person with a disability. Young couples, whose ages the demands do
    not carry, are not told apart."""
    if context.ceilings is None or size is None or size < 1:
        return None
    ceilings, zone = context.ceilings
    if product not in ceilings.products or zone not in ceilings.products[product].zones:
        return None
    dependants = min(max(int(dependants or 0), 0), int(size) - 1)
    household = Household(
        adults=int(size) - dependants, dependants=dependants, disabled_member=bool(disability)
    )
    return ceiling(ceilings, product, zone, household_category(household))


def _min(*values):
    return None if any(v is None for v in values) else min(values)


def _max(*values):
    return None if any(v is None for v in values) else max(values)


# name -> (argument types, how many at least, result type); "any" accepts every type.
FUNCTIONS: dict[str, tuple[tuple[str, ...], int, str]] = {
    "months_since": (("date",), 1, "number"),
    "years_since": (("number",), 1, "number"),
    "min": (("number", "number", "number", "number"), 2, "number"),
    "max": (("number", "number", "number", "number"), 2, "number"),
    "round": (("number",), 1, "number"),
    "consumption_units": (("number", "number"), 1, "number"),
    "income_ceiling": (("text", "number", "number", "yes_no"), 2, "number"),
    "checked": (("fact",), 1, "yes_no"),
    "known": (("any",), 1, "yes_no"),
}

Compiled = Callable[[dict, Context], object]


@dataclass(frozen=True)
class Checked:
    """A checked expression: its type and the facts it reads (for the simulator and cycle checks)."""

    kind: str
    names: frozenset[str]
    run: Compiled


def _number_type(kind: str) -> bool:
    return kind in ("number", "count")


def _fail(message: str):
    raise ExpressionError(message)


class _Checker:
    def __init__(self, types: dict[str, str], choices: dict[str, tuple[str, ...]]):
        self.types, self.choices, self.names = types, choices, set()

    def visit(self, node: ast.AST) -> tuple[str, Compiled]:
        method = getattr(self, f"visit_{type(node).__name__}", None)
        if method is None:
            _fail(f"`{ast.unparse(node)}` is not part of the grid language")
        return method(node)

    def visit_Constant(self, node: ast.Constant):
        value = node.value
        if isinstance(value, bool):
            return "yes_no", lambda values, context: value
        if isinstance(value, int | float):
            return "number", lambda values, context: value
        if isinstance(value, str):
            return "text", lambda values, context: value
        _fail(f"`{ast.unparse(node)}` is not a number, a text or true/false")

    def visit_Name(self, node: ast.Name):
        name = node.id
        if name in ("true", "false", "yes", "no"):
            value = name in ("true", "yes")
            return "yes_no", lambda values, context: value
        kind = self.types.get(name)
        if kind is None:
            _fail(f"unknown fact `{name}`")
        self.names.add(name)
        if kind == "yes_no":
            return kind, lambda values, context: values.get(name) is True
        if kind == "count":
            return kind, lambda values, context: values.get(name) or 0
        return kind, lambda values, context: values.get(name)

    def visit_UnaryOp(self, node: ast.UnaryOp):
        kind, operand = self.visit(node.operand)
        if isinstance(node.op, ast.Not):
            if kind != "yes_no":
                _fail(f"`not` needs a yes/no fact or condition: `{ast.unparse(node)}`")
            return "yes_no", lambda values, context: not operand(values, context)
        if isinstance(node.op, ast.USub) and _number_type(kind):

            def negative(values, context):
                value = operand(values, context)
                return None if value is None else -value

            return "number", negative
        _fail(f"`{ast.unparse(node)}` is not part of the grid language")

    def visit_BinOp(self, node: ast.BinOp):
        left_kind, left = self.visit(node.left)
        right_kind, right = self.visit(node.right)
        if not (_number_type(left_kind) and _number_type(right_kind)):
            _fail(f"arithmetic needs numbers: `{ast.unparse(node)}`")
        operations = {
            ast.Add: lambda a, b: a + b,
            ast.Sub: lambda a, b: a - b,
            ast.Mult: lambda a, b: a * b,
            ast.Div: lambda a, b: a / b if b else None,
        }
        operation = operations.get(type(node.op))
        if operation is None:
            _fail(f"only + - * / are allowed: `{ast.unparse(node)}`")

        def arithmetic(values, context):
            a, b = left(values, context), right(values, context)
            return None if a is None or b is None else operation(a, b)

        return "number", arithmetic

    def visit_BoolOp(self, node: ast.BoolOp):
        parts = [self.visit(value) for value in node.values]
        if any(kind != "yes_no" for kind, _ in parts):
            _fail(f"`and` / `or` join yes/no facts or conditions: `{ast.unparse(node)}`")
        runs = [run for _, run in parts]
        if isinstance(node.op, ast.And):
            return "yes_no", lambda values, context: all(run(values, context) for run in runs)
        return "yes_no", lambda values, context: any(run(values, context) for run in runs)

    def visit_Compare(self, node: ast.Compare):
        operators = {
            ast.Lt: lambda a, b: a < b,
            ast.LtE: lambda a, b: a <= b,
            ast.Gt: lambda a, b: a > b,
            ast.GtE: lambda a, b: a >= b,
            ast.Eq: lambda a, b: a == b,
            ast.NotEq: lambda a, b: a != b,
        }
        operands = [node.left, *node.comparators]
        checked = [self.visit(operand) for operand in operands]
        steps = []
        for index, op in enumerate(node.ops):
            (left_kind, left), (right_kind, right) = checked[index], checked[index + 1]
            operation = operators.get(type(op))
            if operation is None:
                _fail(f"`{ast.unparse(node)}`: compare with < <= > >= == !=")
            self._comparable(node, operands[index], left_kind, operands[index + 1], right_kind, type(op))
            steps.append((operation, left, right))

        def compare(values, context):
            for operation, left, right in steps:
                a, b = left(values, context), right(values, context)
                if a is None or b is None or not operation(a, b):
                    return False
            return True

        return "yes_no", compare

    def _comparable(self, node, left_node, left_kind, right_node, right_kind, op) -> None:
        if _number_type(left_kind) and _number_type(right_kind):
            return
        if {left_kind, right_kind} == {"category", "text"} and op in (ast.Eq, ast.NotEq):
            fact, text = (left_node, right_node) if left_kind == "category" else (right_node, left_node)
            if isinstance(fact, ast.Name) and isinstance(text, ast.Constant):
                allowed = self.choices.get(fact.id, ())
                if allowed and text.value not in allowed:
                    _fail(f"`{fact.id}` is never {text.value!r}: its values are {', '.join(allowed)}")
            return
        if left_kind == right_kind == "yes_no" and op in (ast.Eq, ast.NotEq):
            return
        _fail(f"cannot compare a {left_kind} with a {right_kind}: `{ast.unparse(node)}`")

    def visit_Call(self, node: ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS or node.keywords:
            _fail(f"unknown function in `{ast.unparse(node)}`; known: {', '.join(FUNCTIONS)}")
        name = node.func.id
        kinds, least, result = FUNCTIONS[name]
        if not least <= len(node.args) <= len(kinds):
            _fail(f"`{name}` takes {least} to {len(kinds)} values: `{ast.unparse(node)}`")
        if name == "checked":
            argument = node.args[0]
            if not isinstance(argument, ast.Name) or argument.id not in self.types:
                _fail(f"`checked` names a fact of the dictionary: `{ast.unparse(node)}`")
            self.names.add(argument.id)
            fact = argument.id
            return "yes_no", lambda values, context: fact in context.checked
        runs = []
        for wanted, argument in zip(kinds, node.args, strict=False):
            kind, run = self.visit(argument)
            if wanted != "any" and kind != wanted and not (wanted == "number" and kind == "count"):
                _fail(f"`{name}` needs a {wanted}, not a {kind}: `{ast.unparse(argument)}`")
            runs.append(run)
        if name == "income_ceiling":
            product = node.args[0]
            if not isinstance(product, ast.Constant) or product.value not in PRODUCTS:
                _fail(f"`income_ceiling` starts with one of {', '.join(PRODUCTS)} in quotes")
        return result, _call(name, runs)


def _call(name: str, runs: list[Compiled]) -> Compiled:
    if name == "months_since":
        (run,) = runs
        return lambda values, context: (
            None if (day := run(values, context)) is None else months_between(day, context.on_date)
        )
    if name == "years_since":
        (run,) = runs
        return lambda values, context: (
            None if (year := run(values, context)) is None else context.on_date.year - int(year)
        )
    if name == "known":
        (run,) = runs
        return lambda values, context: run(values, context) is not None
    if name == "income_ceiling":
        return lambda values, context: income_ceiling(context, *(run(values, context) for run in runs))
    function = {"min": _min, "max": _max, "consumption_units": consumption_units}.get(name)
    if function is None:  # round
        (run,) = runs
        return lambda values, context: None if (value := run(values, context)) is None else round(value)
    return lambda values, context: function(*(run(values, context) for run in runs))


def parse(text: str, types: dict[str, str], choices: dict[str, tuple[str, ...]] | None = None) -> Checked:
    """Check an expression against the facts' types; ExpressionError says what is wrong."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("the expression is empty")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"the expression is longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"`{text.strip()}` cannot be read ({exc.msg})") from None
    checker = _Checker(types, choices or {})
    kind, run = checker.visit(tree.body)
    return Checked(kind, frozenset(checker.names), run)


@lru_cache(maxsize=512)
def compiled(text: str, types: tuple[tuple[str, str], ...]) -> Compiled:
    """The closure of an expression already checked when its grid loaded (kept per process: grids travel
    to the scoring processes as plain data, and each process compiles them once)."""
    return parse(text, dict(types)).run
