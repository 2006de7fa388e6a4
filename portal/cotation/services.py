"""Grids in the database: loading the files of content/cotation/, and reading them back for the
pages, the simulator, the look-up and the recompute (kept per process until the content revision moves)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.content import ContentError
from portal.cotation.engine import Band, Criterion, Grid
from portal.cotation.grids import GridFile, GridText, grid_in_force, read_grid_file
from portal.cotation.models import CriterionRecord, GridRecord
from portal.revision import bump_revision, kept_per_revision


@dataclass
class LoadReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


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
        group_code=criterion.group,
        verification=criterion.verification,
        label=text.labels[criterion.code],
        explanation=text.explanations[criterion.code],
        question=text.questions.get(criterion.code, {}),
    )


def grid_file_from_record(record: GridRecord) -> GridFile:
    """The engine's grid and its texts, from the stored version."""
    criteria = tuple(
        Criterion(
            item.code,
            item.family,
            item.kind,
            item.fact,
            item.points,
            item.cap,
            tuple(Band(float(band["min"]), _float(band["max"]), int(band["points"])) for band in item.bands),
            item.group_code,
            item.verification,
        )
        for item in record.criteria
    )
    text = GridText(
        dict(record.name),
        {item.code: dict(item.label) for item in record.criteria},
        {item.code: dict(item.explanation) for item in record.criteria},
        {item.code: dict(item.question) for item in record.criteria},
        {code: dict(names) for code, names in record.groups.items()},
    )
    grid = Grid(record.code, record.kind, record.version, record.effective_from, criteria)
    return GridFile(grid, record.status, text)


def _float(value) -> float | None:
    return None if value is None else float(value)


def _fill(record: GridRecord, grid_file: GridFile, source: str) -> None:
    record.kind = grid_file.grid.kind
    record.effective_from = grid_file.grid.effective_from
    record.status = grid_file.status
    record.name = grid_file.text.name
    record.groups = grid_file.text.groups
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
    paths = sorted((content_dir / "cotation").glob("*.yaml"))
    files = [(path, read_grid_file(path)) for path in paths]  # every file checked before any write
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
        stored = grid_file_from_record(record)
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
    return report


def stored_grids(session: Session) -> list[GridFile]:
    """Every stored grid version, read once per content revision (loading grids bumps it)."""
    return kept_per_revision(session, "grids", _read_grids)


def _read_grids(session: Session) -> list[GridFile]:
    records = session.scalars(
        select(GridRecord)
        .options(selectinload(GridRecord.criteria))
        .order_by(GridRecord.code, GridRecord.version)
    ).all()
    return [grid_file_from_record(record) for record in records]


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
