"""Grids in the database: loading the files of content/cotation/, and reading them back for the
pages, the simulator, the look-up and the recompute (kept per process until the content revision moves)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from flask import current_app, has_app_context
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.config import PROJECT_ROOT
from portal.content import ContentError
from portal.cotation.criteria import mapping
from portal.cotation.dictionary import Dictionary, read_dictionary
from portal.cotation.engine import Criterion
from portal.cotation.grids import (
    DICTIONARY_FILE,
    GridFile,
    GridText,
    grid_from_mapping,
    grid_in_force,
    grid_paths,
    read_grids,
)
from portal.cotation.models import CriterionRecord, GridRecord
from portal.revision import bump_revision, kept_per_revision


@dataclass
class LoadReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def current_dictionary() -> Dictionary:
    """The territory's dictionary of facts, read at start (content/cotation/facts.yaml); outside an app
    (a script, a test of the data layer) the project's own content's."""
    if has_app_context():
        return current_app.extensions["portal.facts"]
    return _project_dictionary()


@lru_cache(maxsize=1)
def _project_dictionary() -> Dictionary:
    return read_dictionary(PROJECT_ROOT / "content" / "cotation" / DICTIONARY_FILE)


def _options(criterion: Criterion) -> dict:
    options: dict = {}
    if criterion.steps:
        options["steps"] = [
            {"above" if step.strict else "from": step.threshold, "points": step.points}
            for step in criterion.steps
        ]
    if criterion.when:
        options["when"] = criterion.when
    if criterion.scope is not None:
        options["scope"] = {
            name: list(values)
            for name, values in (
                ("communes", criterion.scope.communes),
                ("dwelling_types", criterion.scope.dwelling_types),
            )
            if values
        }
    for name in ("months", "fade"):
        if getattr(criterion, name) is not None:
            options[name] = getattr(criterion, name)
    return options


def _criterion_record(criterion: Criterion, position: int, text: GridText) -> CriterionRecord:
    return CriterionRecord(
        position=position,
        code=criterion.code,
        family=criterion.family,
        kind=criterion.kind,
        fact=criterion.fact,
        points=criterion.points,
        cap=criterion.cap,
        bands=[{"min": band.minimum, "max": band.maximum, "points": band.points} for band in criterion.bands],
        options=_options(criterion),
        group_code=criterion.group,
        verification=criterion.verification,
        label=text.labels[criterion.code],
        explanation=text.explanations[criterion.code],
        question=text.questions.get(criterion.code, {}),
    )


def stored_rules(grid_file: GridFile) -> dict:
    """What a grid file writes beside its criteria, as the grid record keeps it."""
    grid, text = grid_file.grid, grid_file.text
    rules: dict = {}
    if grid.computed:
        rules["computed"] = [
            {"name": name, "expression": expression, "label": text.computed[name]}
            for name, expression in grid.computed
        ]
    if grid.floor is not None:
        rules["floor"] = grid.floor
    if grid.ceiling is not None:
        rules["ceiling"] = grid.ceiling
    rules["ties"] = [
        {"fact": tie.fact, "order": "descending" if tie.descending else "ascending"} for tie in grid.ties
    ]
    if grid.exclusions:
        rules["exclusions"] = [
            {"code": item.code, "when": item.when, "reason": text.exclusions[item.code]}
            for item in grid.exclusions
        ]
    return rules


def grid_file_from_record(record: GridRecord, dictionary: Dictionary | None = None) -> GridFile:
    """The engine's grid and its texts, from the stored version, read with the files' rules against the
    dictionary of facts (the app's when none is given)."""
    where = f"grid `{record.code}` version {record.version}"
    return grid_from_mapping(mapping(record), where, dictionary or current_dictionary())


def _fill(record: GridRecord, grid_file: GridFile, source: str) -> None:
    record.kind = grid_file.grid.kind
    record.effective_from = grid_file.grid.effective_from
    record.status = grid_file.status
    record.name = grid_file.text.name
    record.groups = grid_file.text.groups
    record.rules = stored_rules(grid_file)
    record.source = source
    record.criteria = [
        _criterion_record(criterion, position, grid_file.text)
        for position, criterion in enumerate(grid_file.grid.criteria)
    ]


def load_grids(session: Session, content_dir: Path) -> LoadReport:
    """Store every grid file (each checked before anything is written), by code and version.

    A loaded version whose rules (criteria, points, effective date) differ from its file is refused unless
    it is still a draft: scores were computed with it, so a change of rules takes a new version. Texts and
    status (retiring a version) may change in place; a version retired in the workspace stays retired.
    """
    folder = content_dir / "cotation"
    dictionary, grid_files = read_grids(folder)  # every file checked before any write
    files = list(zip(grid_paths(folder), grid_files, strict=True))
    seen: dict[tuple[str, int], Path] = {}
    for path, grid_file in files:
        key = (grid_file.grid.code, grid_file.grid.version)
        if key in seen:
            raise ContentError(f"{path}: grid `{key[0]}` version {key[1]} is also defined in {seen[key]}")
        seen[key] = path
    report = LoadReport()
    for path, grid_file in files:
        grid = grid_file.grid
        name = f"{grid.code} v{grid.version}"
        source = str(path.relative_to(content_dir))
        record = session.scalar(
            select(GridRecord)
            .where(GridRecord.code == grid.code, GridRecord.version == grid.version)
            .options(selectinload(GridRecord.criteria))
        )
        if record is None:
            record = GridRecord(code=grid.code, version=grid.version)
            _fill(record, grid_file, source)
            session.add(record)
            report.added.append(name)
            continue
        if record.status == "retired" and grid_file.status == "active":
            # Retired in the workspace (a newer version took over): a file does not bring it back.
            grid_file = dataclasses.replace(grid_file, status="retired")
        stored = grid_file_from_record(record, dictionary)
        if stored == grid_file:
            report.unchanged.append(name)
            continue
        if stored.grid != grid and record.status != "draft":
            raise ContentError(
                f"{path}: grid `{grid.code}` version {grid.version} is already loaded with "
                "other rules and demands were scored with it: give the file a new `version`"
            )
        for item in list(record.criteria):
            session.delete(item)
        session.flush()
        _fill(record, grid_file, source)
        report.updated.append(name)
    if report.added or report.updated:
        session.flush()
        bump_revision(session)
    # Every stored version (drafts of the editor, retired ones) must still read with this dictionary.
    for record in session.scalars(select(GridRecord).options(selectinload(GridRecord.criteria))):
        grid_file_from_record(record, dictionary)
    return report


def stored_grids(session: Session, dictionary: Dictionary | None = None) -> list[GridFile]:
    """Every stored grid version, read once per content revision (loading grids bumps it); with the
    app's dictionary of facts unless one is given (a command or a test outside the app)."""
    return kept_per_revision(session, "grids", lambda session: _read_grids(session, dictionary))


def _read_grids(session: Session, dictionary: Dictionary | None) -> list[GridFile]:
    records = session.scalars(
        select(GridRecord)
        .options(selectinload(GridRecord.criteria))
        .order_by(GridRecord.code, GridRecord.version)
    ).all()
    return [grid_file_from_record(record, dictionary) for record in records]


def grids_in_force(session: Session, day: dt.date) -> list[GridFile]:
    """The general then the mutation grid in force on that day (those that exist)."""
    grids = stored_grids(session)
    return [found for kind in ("general", "mutation") if (found := grid_in_force(grids, kind, day))]


def grid_version(session: Session, code: str, version: int) -> GridFile | None:
    """The version a score was computed with (kept after it is retired)."""
    return next(
        (item for item in stored_grids(session) if (item.grid.code, item.grid.version) == (code, version)),
        None,
    )


def init_app(app) -> None:
    """Read the territory's dictionary of facts once, at start (like territory.yaml)."""
    folder = app.config["PORTAL_SETTINGS"].content_dir / "cotation"
    app.extensions["portal.facts"] = read_dictionary(folder / DICTIONARY_FILE)
