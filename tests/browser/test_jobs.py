"""The page of a long piece of work in Chromium: a partner sends a data file, lands on the job's page
(waiting for its turn, a progress bar), the queue runs the check, and the page shows the outcome and the
link to the report: by itself with JavaScript (it polls the job's state), by reloading without; in French
and in Arabic (right to left), on a phone and a desktop; axe on the page before and after."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import sessionmaker

from portal.db import make_engine
from tests.browser.support import axe_violations, open_page, serving_app, sign_in, size_of
from tests.demand_files import demand_rows, write_csv
from tests.factories.partners import create_organisation, create_partner
from tests.support import run_queued


@pytest.fixture(scope="module")
def job_server(tmp_path_factory):
    """The portal with its jobs left on the SQLite queue until the test runs them, as a consumer would."""
    folder = tmp_path_factory.mktemp("jobs")
    with serving_app(folder, jobs_immediate=False) as (base, app):
        engine = make_engine(f"sqlite:///{folder / 'portal.db'}")
        with sessionmaker(engine).begin() as session:
            epci = create_organisation(session, "metropole-travaux", kind="epci")
            for locale in ("fr", "ar"):
                for size in ("phone", "desktop"):
                    for script in ("js", "nojs"):
                        email = f"editeur-{locale}-{size}-{script}@metropole.fr"
                        create_partner(session, email, {epci: ["editor"]})
        engine.dispose()
        yield base, app, write_csv(folder / "demandes.csv", list(demand_rows(8)))


def assert_fits(page, viewport) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {viewport['width']}px"


@pytest.mark.parametrize("script", [True, False], ids=["javascript", "no-javascript"])
@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_the_job_page_follows_the_check_of_a_file(job_server, browser, viewport, watch, locale, script):
    base, app, csv_file = job_server
    context, page = open_page(browser, viewport, watch, javascript=script)
    try:
        page.goto(f"{base}/partenaires/connexion?lang={locale}")
        sign_in(page, f"editeur-{locale}-{size_of(viewport)}-{'js' if script else 'nojs'}@metropole.fr")
        page.goto(f"{base}/partenaires/donnees/")
        page.check("input[name=kind][value=demands]")
        page.set_input_files("#upload", str(csv_file))
        page.locator("main form[enctype='multipart/form-data'] button[type=submit]").click()
        page.wait_for_load_state()

        assert "/partenaires/travaux/" in page.url
        assert page.locator("html").get_attribute("lang") == locale
        assert page.locator("html").get_attribute("dir") == ("rtl" if locale == "ar" else "ltr")
        assert page.locator("#job").get_attribute("data-state") == "queued"
        assert page.locator("#job-progress").is_visible()
        assert page.locator("#job-outcome").get_attribute("aria-live") == "polite"
        if locale == "fr":
            assert "En attente de son tour" in page.locator("#job-state").inner_text()
        if script:
            assert axe_violations(page) == []
            assert_fits(page, viewport)

        run_queued(app)
        link = page.locator("#job-outcome a")
        link.wait_for(timeout=20_000)  # the script's next poll, or the page's next refresh
        if locale == "fr":
            assert "Le travail est terminé." in page.locator("#job-outcome").inner_text()
        assert page.locator("#job-wait").is_hidden()
        if script:
            assert axe_violations(page) == []
            assert_fits(page, viewport)
        link.click()
        page.wait_for_load_state()
        assert "/partenaires/donnees/rapport/" in page.url
        assert page.locator("#import-confirm").count() == 1, "the report of a good file offers to apply it"
        page.goto(f"{base}/partenaires/travaux/")  # the organisations' recent work lists it
        assert page.locator("main table tbody tr").count() >= 1
        if script:
            assert axe_violations(page) == []
            assert_fits(page, viewport)
        watch.assert_clean()
    finally:
        context.close()
