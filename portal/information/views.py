"""Information pages, easy-to-read versions, eligibility checker, search, communes, sitemap, API."""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_number, get_locale

from portal import clock, db
from portal.content import fill_tokens
from portal.desks import services as desk_services
from portal.information import services
from portal.information.checklist import checklist_for
from portal.information.checklist import init_app as init_checklists
from portal.information.eligibility import Household, assess, ceilings_on, income_retained, read_all_ceilings
from portal.information.forms import EligibilityForm
from portal.information.models import EASY
from portal.information.presenting import assessment_rows, format_euros, tokens, zone_label
from portal.pagecache import cached_page
from portal.security import rate_limit
from portal.territory.services import commune as find_commune
from portal.territory.services import communes, current_territory
from portal.text import slugify
from portal.urls import public_url_for

bp = Blueprint("information", __name__, url_prefix="/<locale:lang_code>", template_folder="templates")
machines = Blueprint("machines", __name__)


def locale() -> str:
    return str(get_locale())


def configured_locales() -> tuple[str, ...]:
    return current_app.config["PORTAL_SETTINGS"].locales


@bp.app_template_filter("tokens")
def _tokens_filter(value: str) -> str:
    return fill_tokens(value, tokens())


@bp.route("/informations")
@cached_page
def index():
    return render_template("information/index.html", sections=services.sections(db.session(), locale()))


@bp.route("/informations/<slug>")
@cached_page
def page(slug: str):
    view = services.page_view(db.session(), slug, locale())
    if view is None:
        abort(404)
    body = services.render_body(view.version.body, locale(), tokens(), configured_locales())
    siblings = next(
        (
            section
            for section in services.sections(db.session(), locale())
            if section.slug == view.french.section
        ),
        None,
    )
    return render_template("information/page.html", view=view, body=body, easy=False, section=siblings)


@bp.route("/informations/<slug>/facile")
@cached_page
def easy(slug: str):
    view = services.page_view(db.session(), slug, locale(), variant=EASY)
    if view is None:
        abort(404)
    body = services.render_body(view.version.body, "fr", tokens(), configured_locales())
    return render_template("information/page.html", view=view, body=body, easy=True, section=None)


@bp.route("/recherche")
@rate_limit("60 per minute")
def search():
    query = request.args.get("q", "").strip()[:200]
    hits = services.search(db.session(), locale(), query) if query else []
    return render_template("information/search.html", query=query, hits=hits)


@bp.route("/eligibilite", methods=["GET", "POST"])
def eligibility():
    form = EligibilityForm()
    all_communes = communes()
    form.set_communes(all_communes)
    ceilings = ceilings_on(current_app.extensions["portal.ceilings"], clock.today())
    assessment = commune = recent = None
    if form.validate_on_submit():
        commune = next(item for item in all_communes if item.insee == form.commune.data)
        household = Household(
            adults=form.adults.data,
            dependants=form.dependants.data,
            couple=form.couple.data,
            ages=form.ages(),
            disabled_member=form.disabled_member.data,
        )
        income, recent = income_retained(form.income.data, form.recent_income.data)
        assessment = assess(household, commune.ceiling_zone, income, ceilings)
    response = make_response(
        render_template(
            "information/eligibility.html",
            form=form,
            assessment=assessment,
            commune=commune,
            ceilings=ceilings,
            recent=recent,
        )
    )
    response.headers["Cache-Control"] = "no-store"  # a household's income, on a shared computer at a desk
    return response


@bp.route("/communes")
def commune_list():
    return render_template("information/communes.html", communes=communes())


@bp.route("/communes/<string(length=5):insee>-<slug>")
def commune(insee: str, slug: str):
    found = find_commune(insee)
    if found is None:
        abort(404)
    if slug != found.slug:
        return redirect(url_for("information.commune", insee=insee, slug=found.slug), 301)
    moment = clock.now()
    desks = desk_services.desks_in_commune(db.session(), found.insee, moment)
    return render_template("information/commune.html", commune=found, desks=desks, moment=moment)


@machines.route("/sitemap.xml")
def sitemap_xml():
    """Every public page in every locale, with its language alternates."""
    session = db.session()
    locales = configured_locales()
    entries = [
        ("site.home", {}),
        ("information.index", {}),
        ("information.eligibility", {}),
        ("information.commune_list", {}),
        ("observatory.territory", {}),
        ("observatory.compare", {}),
        ("site.sitemap", {}),
    ]
    entries += [
        ("site.page", {"slug": slug})
        for slug in ("mentions-legales", "donnees-personnelles", "accessibilite")
    ]
    for section in services.sections(session, locales[0]):
        for version in section.pages:
            entries.append(("information.page", {"slug": version.slug}))
    entries += [("information.commune", {"insee": item.insee, "slug": item.slug}) for item in communes()]
    urls = [
        [public_url_for(endpoint, lang_code=code, **values) for code in locales]
        for endpoint, values in entries
    ]
    easy_urls = [
        public_url_for("information.easy", lang_code="fr", slug=slug) for slug in services.easy_slugs(session)
    ]
    body = render_template("information/sitemap.xml", urls=urls, locales=locales, easy_urls=easy_urls)
    return current_app.response_class(body, mimetype="application/xml")


@machines.route("/api/v1/pages")
def api_pages():
    """The published pages of one locale as JSON (French where a page is not translated)."""
    code = request.args.get("lang", "fr")
    if code not in configured_locales():
        return jsonify(error="unknown language", languages=list(configured_locales())), 400
    session = db.session()
    pages = []
    for section in services.sections(session, code):
        for version in section.pages:
            view = services.page_view(session, version.slug, code)
            pages.append(
                {
                    "slug": view.slug,
                    "section": section.slug,
                    "section_title": section.title,
                    "language": view.version.locale,
                    "title": fill_tokens(view.version.title, tokens()),
                    "summary": fill_tokens(view.version.summary, tokens()),
                    "body_markdown": fill_tokens(view.version.body, tokens()),
                    "body_html": str(
                        services.render_body(view.version.body, code, tokens(), configured_locales())
                    ),
                    "updated": view.version.updated_on.isoformat(),
                    "version": view.version.number,
                    "translation_outdated": view.outdated,
                    "url": public_url_for("information.page", lang_code=code, slug=view.slug),
                }
            )
    response = jsonify(language=code, territory=current_territory().name, pages=pages)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.route("/pieces-a-fournir")
@rate_limit("120 per minute")
def checklist():
    """The documents to prepare, for the situations ticked (a GET form: the list can be bookmarked,
    printed, and needs no script)."""
    found = checklist_for(locale())
    chosen = [code for code in dict.fromkeys(request.args.getlist("situation")) if found.situation(code)]
    return render_template("information/checklist.html", checklist=found, chosen=chosen)


def init_app(app: Flask) -> None:
    app.extensions["portal.ceilings"] = read_all_ceilings(app.config["PORTAL_SETTINGS"].content_dir)
    init_checklists(app)
    app.register_blueprint(bp)
    app.register_blueprint(machines)
    app.jinja_env.globals.update(zone_label=zone_label, assessment_rows=assessment_rows)
    app.jinja_env.filters.update(format_euros=format_euros, slugify=slugify, format_number=format_number)
