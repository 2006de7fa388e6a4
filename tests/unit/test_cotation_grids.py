"""Grid files: the demo grids load; a bad grid is refused naming the file, the criterion and the field."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from portal.content import ContentError
from portal.cotation.dictionary import read_dictionary
from portal.cotation.grids import grid_in_force, read_grid_file, read_grids
from tests.support import CONTENT_DIR

DICTIONARY = read_dictionary(CONTENT_DIR / "cotation" / "facts.yaml")
SOURCE = yaml.safe_load((CONTENT_DIR / "cotation" / "general.yaml").read_text(encoding="utf-8"))


def test_the_demo_territory_has_a_general_and_a_mutation_grid():
    grids = read_grids(CONTENT_DIR / "cotation")[1]
    assert {item.grid.kind for item in grids} == {"general", "mutation"}
    general = grid_in_force(grids, "general", dt.date(2026, 6, 1))
    assert general.grid.code == "general" and general.status == "active"
    assert grid_in_force(grids, "general", dt.date(2025, 6, 1)) is None, "not in force before its date"
    codes = [criterion.code for criterion in general.grid.criteria]
    assert {"anciennete", "delai_anormal", "dalo", "pdalhpd", "expulsion", "taux_effort", "refus"} <= set(
        codes
    )


def criterion(data, code):
    return next(item for item in data["criteria"] if item["code"] == code)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda data: criterion(data, "dalo").update(kind="boolean"),
            "criterion `dalo`: `kind` must be one of",
        ),
        (
            lambda data: criterion(data, "dalo").update(points="fifty"),
            "criterion `dalo`: `points` must be a whole",
        ),
        (
            lambda data: criterion(data, "anciennete").update(points=-1),
            "criterion `anciennete`: negative `points`",
        ),
        (lambda data: criterion(data, "dalo").pop("label"), "criterion `dalo`: `label` needs a French text"),
        (
            lambda data: criterion(data, "heberge_tiers").update(group="ailleurs"),
            "criterion `heberge_tiers`: `group` 'ailleurs' is not declared",
        ),
        (
            lambda data: criterion(data, "taux_effort").update(bands=[{"min": 40, "max": 30, "points": 5}]),
            "criterion `taux_effort`: bands\\[0\\]: `max` must be a number above `min`",
        ),
        (
            lambda data: criterion(data, "taux_effort").update(
                bands=[{"min": 30, "max": 50, "points": 5}, {"min": 40, "points": 10}]
            ),
            "overlap",
        ),
        (lambda data: criterion(data, "anciennete").update(cap=0), "criterion `anciennete`: `cap`"),
        (
            lambda data: criterion(data, "dalo").update(verification="maybe"),
            "criterion `dalo`: `verification`",
        ),
        (
            lambda data: data["criteria"].append(dict(criterion(data, "dalo"))),
            "criterion `dalo` appears twice",
        ),
        (
            lambda data: criterion(data, "emploi").update(fact="filed_on"),
            "criterion `emploi`: kind flag reads a yes_no fact; `filed_on` is a date",
        ),
        (
            lambda data: criterion(data, "emploi").update(fact="job_nearby"),
            "criterion `emploi`: unknown fact `job_nearby`",
        ),
        (
            lambda data: criterion(data, "delai_anormal").update(
                steps=[{"from": 36, "points": 20}, {"from": 24, "points": 10}]
            ),
            "criterion `delai_anormal`: `steps` overlap or are not in increasing order",
        ),
        (
            lambda data: criterion(data, "delai_anormal").update(
                steps=[{"from": 24, "above": 24, "points": 5}]
            ),
            "criterion `delai_anormal`: steps\\[0\\]: give either `from`",
        ),
        (
            lambda data: criterion(data, "suroccupation").update(when="dependants + overcrowding"),
            "criterion `suroccupation`: `when`: arithmetic needs numbers",
        ),
        (
            lambda data: criterion(data, "suroccupation").update(when="dependants"),
            "criterion `suroccupation`: `when`: a condition is yes or no, not a count",
        ),
        (
            lambda data: criterion(data, "suroccupation").update(when="housing_situation == 'castle'"),
            "`housing_situation` is never 'castle'",
        ),
        (
            lambda data: criterion(data, "suroccupation").update(when="__import__('os')"),
            "unknown function",
        ),
        (
            lambda data: criterion(data, "suroccupation").update(when="dependants.real > 1"),
            "is not part of the grid language",
        ),
        (
            lambda data: data["computed"].update(
                a={"expression": "b + 1", "label": {"fr": "A"}},
                b={"expression": "a * 2", "label": {"fr": "B"}},
            ),
            "computed facts `a` → `b` → `a` form a cycle",
        ),
        (
            lambda data: data["computed"].update(income={"expression": "1", "label": {"fr": "R"}}),
            "computed fact `income` has the name of a fact of the dictionary",
        ),
        (
            lambda data: data["computed"]["months_waiting"].update(expression="months_since(income)"),
            "computed fact `months_waiting`: `months_since` needs a date, not a number",
        ),
        (lambda data: data.update(ties=["number"]), "`ties` items are filed_on or household_size"),
        (lambda data: data.update(floor=100, ceiling=50), "`ceiling` must be above `floor`"),
        (
            lambda data: data.update(exclusions=[{"code": "anru", "when": "urban_renewal"}]),
            "exclusion `anru`: `reason` needs a French text",
        ),
        (
            lambda data: criterion(data, "emploi").update(kind="since", fact="job_lost_on"),
            "criterion `emploi`: kind since needs positive `points` and `months`, `fade` or both",
        ),
        (
            lambda data: criterion(data, "refus").update(kind="events", fact="complaint", months=12),
            "criterion `refus`: `fact` names the events counted",
        ),
        (
            lambda data: criterion(data, "refus").update(kind="events", fact="refusal"),
            "criterion `refus`: kind events needs `months`",
        ),
        (
            lambda data: criterion(data, "emploi").update(scope={"dwelling_types": ["T9"]}),
            "criterion `emploi`: `scope.dwelling_types`",
        ),
        (lambda data: data.update(effective_from="soon"), "`effective_from` must be a date"),
        (lambda data: data.update(kind="special"), "`kind` must be one of general, mutation"),
    ],
)
def test_a_bad_grid_is_refused_naming_the_field(tmp_path, change, message):
    data = yaml.safe_load(yaml.safe_dump(SOURCE))
    change(data)
    path = tmp_path / "general.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError, match=message) as error:
        read_grid_file(path, DICTIONARY)
    assert str(path) in str(error.value)
