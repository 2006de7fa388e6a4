"""The grid language (issue 15): a grid's computed facts, floor, ceiling, tie order and exclusions; a
criterion's steps, condition, scope, duration and fading; refusals with a legitimate reason.

Stored grids that gave points for `abnormal_delay_exceeded` (a fact the engine used to derive from
territory.yaml's `abnormal_delay_months`) now read the step from the grid: the criterion becomes a `steps`
criterion on the computed fact `months_waiting` (months since filing), from the same number of months,
so that no total changes. The threshold is read from the territory file of PORTAL_CONTENT_DIR (or the
project's content/), as the engine read it until now.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

import os
from pathlib import Path

import sqlalchemy as sa
import yaml
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

WAITING = "months_waiting"
WAITING_LABEL = {
    "fr": "Mois d'attente depuis le dépôt de la demande",
    "en": "Months of waiting since the application was made",
}


def _abnormal_delay_months() -> int:
    folder = Path(os.environ.get("PORTAL_CONTENT_DIR") or Path(__file__).resolve().parents[3] / "content")
    try:
        return int(yaml.safe_load((folder / "territory.yaml").read_text(encoding="utf-8"))["abnormal_delay_months"])
    except (OSError, KeyError, TypeError, ValueError, yaml.YAMLError):
        return 24  # the value every territory file shipped with until this version


def upgrade() -> None:
    with op.batch_alter_table("grid") as batch:
        batch.add_column(sa.Column("rules", sa.JSON(), nullable=False, server_default="{}"))
    with op.batch_alter_table("grid_criterion") as batch:
        batch.add_column(sa.Column("options", sa.JSON(), nullable=False, server_default="{}"))
    with op.batch_alter_table("demand_event") as batch:
        batch.add_column(sa.Column("legitimate", sa.Boolean(), nullable=False, server_default=sa.false()))

    connection = op.get_bind()
    grid = sa.table("grid", sa.column("id", sa.Integer), sa.column("rules", sa.JSON))
    criterion = sa.table(
        "grid_criterion",
        sa.column("id", sa.Integer),
        sa.column("grid_id", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("fact", sa.String),
        sa.column("points", sa.Integer),
        sa.column("options", sa.JSON),
    )
    rows = connection.execute(
        sa.select(criterion.c.id, criterion.c.grid_id, criterion.c.points).where(
            criterion.c.fact == "abnormal_delay_exceeded"
        )
    ).all()
    months = _abnormal_delay_months()
    for criterion_id, _, points in rows:
        # The flag's points become those of one step, from the same number of months.
        connection.execute(
            criterion.update()
            .where(criterion.c.id == criterion_id)
            .values(kind="steps", fact=WAITING, points=0, options={"steps": [{"from": months, "points": points}]})
        )
    for grid_id in {grid_id for _, grid_id, _ in rows}:
        connection.execute(
            grid.update()
            .where(grid.c.id == grid_id)
            .values(
                rules={
                    "computed": [
                        {"name": WAITING, "expression": "months_since(filed_on)", "label": WAITING_LABEL}
                    ],
                    "ties": [{"fact": "filed_on", "order": "ascending"}],
                }
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("demand_event") as batch:
        batch.drop_column("legitimate")
    with op.batch_alter_table("grid_criterion") as batch:
        batch.drop_column("options")
    with op.batch_alter_table("grid") as batch:
        batch.drop_column("rules")
