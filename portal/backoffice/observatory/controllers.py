"""The partners' observatory at /partenaires/observatoire: every indicator of portal.observatory for the
territory, per dwelling type and per commune, over a chosen period, with filters (period, commune, dwelling
type, landlord), charts drawn on the server as SVG with their data tables, and CSV and JSON exports.

Every signed-in partner reads it: the plan's partners share these figures, all of them, including those
that statistical secrecy withholds from the public; the page and the exports mark which ones those are.

Exports: `/partenaires/observatoire.csv` (UTF-8 with a byte order mark, so that spreadsheets read accents;
one row per scope: the territory, each type, each commune, each commune and type; one column per
indicator; text cells a spreadsheet would run as formulas prefixed with a quote) and
`/partenaires/observatoire.json` (period, filters, stock year, definitions in the workspace's language, the
figures); `?format=csv` or `?format=json` on the page's address gives the same.
"""

from __future__ import annotations

import csv
import io
import json

from flask import Response, render_template, request
from flask_babel import format_date, format_decimal, format_percent
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import clock, db
from portal.backoffice.observatory.forms import ObservatoryFilterForm, filter_form
from portal.backoffice.permissions import signed_in
from portal.csvfiles import spreadsheet_safe
from portal.i18n import current_localeinfo
from portal.observatory.charts import bar_chart
from portal.observatory.definitions import BY_NAME, INDICATORS, SECRECY_NOTE
from portal.observatory.figures import SECRECY_THRESHOLD, Figures, Period, public
from portal.observatory.indicators import Filters, Observatory, observatory
from portal.priority import objectives
from portal.territory.services import communes
from portal.text import folded

TOP_COMMUNES = 10  # communes in the "demands per allocation" chart

# The indicators in groups, one table per group (all of them side by side would not fit a phone).
GROUPS = (
    (
        "demand",
        _l("Demand, allocations and waits"),
        (
            "active_demands",
            "new_demands",
            "allocations",
            "pressure",
            "wait_median_months",
            "wait_p75_months",
            "stock",
        ),
    ),
    (
        "priority",
        _l("Priority publics"),
        (
            "dalo_demands",
            "pdalhpd_demands",
            "dalo_allocations",
            "accord_allocations",
            "priority_allocations",
            "detailed_allocations",
            "lowest_quartile_share",
            "lowest_quartile_base",
        ),
    ),
    (
        "flows",
        _l("Transfers, renewals and strikings-off"),
        (
            "transfer_demands",
            "transfer_share_demands",
            "transfer_allocations",
            "transfer_share_allocations",
            "renewals",
            "struck_off",
        ),
    ),
)


# --- what is shown ------------------------------------------------------------------------------


def display(name: str, value) -> str:
    """A figure as a reader of the workspace's language writes it; "–" when there is nothing to show."""
    if value is None:
        return "–"
    kind = BY_NAME[name].kind
    if kind == "share":
        return format_percent(value, "#,##0.#%")
    if kind in ("ratio", "months"):
        return format_decimal(value, "#,##0.0")
    return format_decimal(value)


def cells(figures: Figures, names) -> list[dict]:
    """The figures named, each with its text and whether the public sees it."""
    hidden = set(public(figures).hidden)
    return [
        {"name": name, "text": display(name, getattr(figures, name)), "secret": name in hidden}
        for name in names
    ]


def _labels(names) -> list[str]:
    return [str(BY_NAME[name].label) for name in names]


def sections(result: Observatory, names: dict[str, str]) -> list[dict]:
    """The tables by dwelling type and by commune: one per group of indicators."""
    scopes = (
        (
            "by-type",
            _("By dwelling type"),
            _("Dwelling type"),
            [(kind, kind, f) for kind, f in result.by_type.items()],
        ),
        (
            "by-commune",
            _("By commune"),
            _("Commune"),
            sorted(
                ((names.get(insee, insee), insee, f) for insee, f in result.by_commune.items()),
                key=lambda row: folded(row[0]),
            ),
        ),
    )
    return [
        {
            "title": title,
            "first_header": first_header,
            "tables": [
                {
                    "ident": f"{ident}-{key}",
                    "caption": f"{group_title} – {title.lower()}",
                    "labels": _labels(group),
                    "rows": [(header, scope, cells(figures, group)) for header, scope, figures in rows],
                }
                for key, group_title, group in GROUPS
            ],
        }
        for ident, title, first_header, rows in scopes
    ]


def charts(result: Observatory, names: dict[str, str]) -> list[dict]:
    """The three charts of the page, each with the rows of its data table."""
    rtl = current_localeinfo().rtl
    demands, allocations = BY_NAME["active_demands"].label, BY_NAME["allocations"].label
    pair = [
        (
            kind,
            [
                (
                    figures.active_demands,
                    _(
                        "%(series)s: %(value)s",
                        series=demands,
                        value=display("active_demands", figures.active_demands),
                    ),
                ),
                (
                    figures.allocations,
                    _(
                        "%(series)s: %(value)s",
                        series=allocations,
                        value=display("allocations", figures.allocations),
                    ),
                ),
            ],
        )
        for kind, figures in result.by_type.items()
    ]
    waits = [
        (kind, [(figures.wait_median_months, display("wait_median_months", figures.wait_median_months))])
        for kind, figures in result.by_type.items()
    ]
    pressing = sorted(
        ((insee, figures) for insee, figures in result.by_commune.items() if figures.pressure is not None),
        key=lambda item: (-item[1].pressure, names.get(item[0], item[0])),
    )[:TOP_COMMUNES]
    pressure = [
        (names.get(insee, insee), [(figures.pressure, display("pressure", figures.pressure))])
        for insee, figures in pressing
    ]
    return [
        {
            "chart": bar_chart(
                "chart-demand", _("Demands in progress and allocations by dwelling type"), pair, rtl
            ),
            "caption": _(
                "For each dwelling type, the demands in progress at the end of the period (first bar) and "
                "the allocations of the period (second bar); each bar is labelled with its figure."
            ),
            "first_header": _("Dwelling type"),
            "labels": _labels(["active_demands", "allocations"]),
            "rows": [
                (kind, kind, cells(result.by_type[kind], ["active_demands", "allocations"]))
                for kind, _b in pair
            ],
        },
        {
            "chart": bar_chart("chart-wait", _("Median wait by dwelling type, in months"), waits, rtl),
            "caption": _("For each dwelling type, the median wait from filing to allocation, in months."),
            "first_header": _("Dwelling type"),
            "labels": _labels(["wait_median_months", "allocations"]),
            "rows": [
                (kind, kind, cells(result.by_type[kind], ["wait_median_months", "allocations"]))
                for kind, _b in waits
            ],
        },
        {
            "chart": bar_chart(
                "chart-pressure",
                _("Demands per allocation: the %(count)s communes where it is highest", count=len(pressure)),
                pressure,
                rtl,
            ),
            "caption": _(
                "Demands in progress per allocation of the period, by commune, highest first (communes "
                "without any allocation are left out)."
            ),
            "first_header": _("Commune"),
            "labels": _labels(["pressure", "active_demands", "allocations"]),
            "rows": [
                (
                    names.get(insee, insee),
                    insee,
                    cells(figures, ["pressure", "active_demands", "allocations"]),
                )
                for insee, figures in pressing
            ],
        },
    ]


# --- views --------------------------------------------------------------------------------------


def _compute(form: ObservatoryFilterForm, names: dict[str, str]) -> Observatory:
    filters = form.filters()
    scope = [filters.commune] if filters.commune else list(names)
    return observatory(db.session(), filters, scope)


@signed_in
def dashboard():
    """The figures of the period, with the filters; `?format=csv|json` downloads them instead."""
    wanted = request.args.get("format")
    if wanted in ("csv", "json"):
        return export(wanted)
    names = {commune.insee: commune.name for commune in communes()}
    form = filter_form(names)
    if not form.validate():
        return render_template("backoffice/observatory.html", form=form, result=None), 400
    result = _compute(form, names)
    filters = form.filters()
    return render_template(
        "backoffice/observatory.html",
        form=form,
        result=result,
        filters=filters,
        names=names,
        by_name=BY_NAME,
        scope_cells=cells(result.territory, [indicator.name for indicator in INDICATORS]),
        charts=charts(result, names),
        sections=sections(result, names),
        secrecy_note=SECRECY_NOTE,
        threshold=SECRECY_THRESHOLD,
        period_label=period_text(filters.period),
        export_args={key: value for key, value in request.args.items() if key != "format"},
        objectives=objective_follow_ups(),
    )


def objective_follow_ups() -> list:
    """This year's allocation objectives of the holders that have one (their allocations to date)."""
    session, today = db.session(), clock.today()
    holders = objectives.holders_with_objectives(session, today.year)
    return objectives.follow_ups(session, today.year, today, holders)


@signed_in
def download(extension: str):
    """The figures of the period as a file (same filters as the page)."""
    return export(extension)


def export(extension: str):
    names = {commune.insee: commune.name for commune in communes()}
    form = filter_form(names)
    if not form.validate():
        problems = "; ".join(str(message) for _field, message in form.error_list())
        return Response(problems + "\n", status=400, mimetype="text/plain")
    result = _compute(form, names)
    filters = form.filters()
    period = f"{filters.period.start.isoformat()}_{filters.period.end.isoformat()}"
    if extension == "csv":
        body, mimetype = "\ufeff" + _csv(result, names), "text/csv"
    else:
        body, mimetype = (
            json.dumps(_json(result, filters, names), ensure_ascii=False, indent=1),
            "application/json",
        )
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="observatoire_{period}.{extension}"'
    response.cache_control.no_store = True
    return response


def _scopes(result: Observatory, names: dict[str, str]):
    """(scope, commune INSEE, commune name, dwelling type, figures) for every row of the exports."""
    yield "territory", "", "", "", result.territory
    for kind, figures in result.by_type.items():
        yield "dwelling_type", "", "", kind, figures
    for insee, figures in result.by_commune.items():
        yield "commune", insee, names.get(insee, ""), "", figures
    for (insee, kind), figures in result.by_commune_type.items():
        yield "commune_dwelling_type", insee, names.get(insee, ""), kind, figures


def _csv(result: Observatory, names: dict[str, str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    columns = [indicator.name for indicator in INDICATORS]
    writer.writerow(
        ["scope", "commune_insee", "commune_name", "dwelling_type", *columns, "hidden_from_public"]
    )
    for scope, insee, name, kind, figures in _scopes(result, names):
        values = ["" if getattr(figures, column) is None else getattr(figures, column) for column in columns]
        writer.writerow(
            [
                scope,
                spreadsheet_safe(insee),
                spreadsheet_safe(name),
                kind,
                *values,
                " ".join(public(figures).hidden),
            ]
        )
    return out.getvalue()


def _figures_json(figures: Figures) -> dict:
    values = figures.as_dict()
    values.pop("hidden")
    return values | {"hidden_from_public": list(public(figures).hidden)}


def _json(result: Observatory, filters: Filters, names: dict[str, str]) -> dict:
    return {
        "period": {"start": filters.period.start.isoformat(), "end": filters.period.end.isoformat()},
        "filters": {
            "commune": filters.commune,
            "dwelling_type": filters.dwelling_type,
            "landlord": filters.landlord,
        },
        "stock_year": result.stock_year,
        "secrecy": {"threshold": SECRECY_THRESHOLD, "note": str(SECRECY_NOTE)},
        "definitions": [
            {
                "name": indicator.name,
                "label": str(indicator.label),
                "definition": str(indicator.definition),
                "kind": indicator.kind,
                "public": indicator.public,
            }
            for indicator in INDICATORS
        ],
        "territory": _figures_json(result.territory),
        "by_type": {kind: _figures_json(figures) for kind, figures in result.by_type.items()},
        "by_commune": [
            {"commune_insee": insee, "commune_name": names.get(insee, "")} | _figures_json(figures)
            for insee, figures in result.by_commune.items()
        ],
        "by_commune_type": [
            {"commune_insee": insee, "commune_name": names.get(insee, ""), "dwelling_type": kind}
            | _figures_json(figures)
            for (insee, kind), figures in result.by_commune_type.items()
        ],
    }


def period_text(period: Period) -> str:
    return _(
        "From %(start)s to %(end)s",
        start=format_date(period.start, "long"),
        end=format_date(period.end, "long"),
    )
