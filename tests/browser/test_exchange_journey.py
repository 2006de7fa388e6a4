"""The dwelling-swap exchange from end to end in Chromium, phone and desktop: tenants sign up (their
address confirmed by the e-mailed link), list their dwellings, their landlords confirm the listings, one
tenant proposes a swap and writes to another (who reports the message; the authority's moderator hides
it), the others say yes, and the two landlords' commissions approve it. A three-way
swap in French, a two-way swap in Arabic. axe on each kind of page (the sign-up and listing forms are
checked with their errors in test_exchange_accounts)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy.orm import sessionmaker

from portal.db import make_engine
from tests.browser.support import check, serving, sign_in, size_of
from tests.factories.partners import create_organisation, create_partner

PASSWORD = "trois mots bien choisis"
MODERATOR_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
LE_MANS, ALLONNES, COULAINES = "72181", "72003", "72095"
# (landlord, adults, dependants, commune, type, rent, wished type, wished commune)
THREE = [
    ("oph", 2, 1, LE_MANS, "T2", "420", "T3", ALLONNES),
    ("sa", 2, 2, ALLONNES, "T3", "480", "T4", COULAINES),
    ("oph", 2, 0, COULAINES, "T4", "560", "T2", LE_MANS),
]
TWO = [
    ("oph", 2, 1, LE_MANS, "T2", "420", "T3", ALLONNES),
    ("sa", 1, 1, ALLONNES, "T3", "480", "T2", LE_MANS),
]


def submit(page) -> None:
    page.locator("main form[method=post] button[type=submit]").last.click()
    page.wait_for_load_state()


def join(page, watch, viewport, base, inbox, locale, email, tenant, checked: bool) -> None:
    """Sign up, confirm the address, list the dwelling; then leave the browser signed out."""
    landlord, adults, dependants, commune, kind, rent, wanted, where = tenant
    home = f"{base}/{locale}/echange-de-logement/"
    page.goto(f"{home}inscription")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    submit(page)
    body = next(body for to, body in reversed(inbox.messages) if to == [email])
    page.goto(re.search(r"http://\S+", body)[0].replace("http://127.0.0.1:5000", base))
    submit(page)
    page.goto(f"{home}mon-annonce")
    page.select_option("#landlord", label=f"Organisation {landlord}")
    page.fill("#tenant_reference", f"REF-{email.split('@')[0]}")
    page.fill("#adults", str(adults))
    page.fill("#dependants", str(dependants))
    page.fill("#income", "15000")
    page.select_option("#commune", commune)
    page.select_option("#dwelling_type", kind)
    page.fill("#surface", "60")
    page.fill("#floor", "1")
    page.fill("#rent", rent)
    page.select_option("#financing", "PLUS")
    page.check(f"input[name=wish_types][value={wanted}]")
    page.check(f"input[name=wish_communes][value='{where}']")
    page.fill("#wish_max_rent", "700")
    submit(page)
    assert page.url.endswith("/echange-de-logement/mon-annonce")
    if checked:
        check(page, watch, viewport)
    page.context.clear_cookies()


def as_landlord(page, watch, viewport, base, slug, action, checked: bool = False) -> None:
    """The landlord's page, its action done, checked when `checked` (once for each kind of action:
    the page is the same for both landlords)."""
    page.goto(f"{base}/partenaires/connexion")
    sign_in(page, f"editeur@{slug}.fr")
    page.goto(f"{base}/partenaires/echanges/organisations/{slug}")
    if checked:
        check(page, watch, viewport)
    action()
    page.context.clear_cookies()


def tenant_signs_in(page, base, locale, email) -> None:
    page.goto(f"{base}/{locale}/echange-de-logement/connexion")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    submit(page)


def write_and_report(page, watch, viewport, base, locale, emails) -> None:
    """The first tenant (signed in) writes to the household whose dwelling they would take: a phone
    number is refused before both agreed to share, a plain message sent; that household reads it and
    reports it. Both leave signed out."""
    page.goto(f"{base}/{locale}/echange-de-logement/mes-echanges")
    page.locator("article.exchange-item a[href*='/messages/']").first.click()
    page.wait_for_load_state()
    check(page, watch, viewport)
    page.fill("#body", "06 12 34 56 78")
    submit_message = "form[action*='/messages/'] button[type=submit]"
    page.locator(submit_message).first.click()
    page.wait_for_load_state()
    assert page.locator("#body[aria-invalid=true]").count() == 1
    check(page, watch, viewport)
    page.fill("#body", "Bonjour, envoyez 200 euros pour réserver.")
    page.locator(submit_message).first.click()
    page.wait_for_load_state()
    assert page.locator("li.message--mine").count() == 1
    page.context.clear_cookies()
    tenant_signs_in(page, base, locale, emails[1])
    page.goto(f"{base}/{locale}/echange-de-logement/messages/")
    check(page, watch, viewport)
    page.locator("main ul.exchange-list a").first.click()
    page.wait_for_load_state()
    page.locator("li.message a[href*='/signalement']").click()
    page.wait_for_load_state()
    check(page, watch, viewport)
    page.check("input[name=reason][value=suspicious]")
    submit(page)
    assert "/messages/" in page.url
    page.context.clear_cookies()


def click_all(page, selector) -> None:
    while page.locator(selector).count():
        page.locator(selector).first.click()
        page.wait_for_load_state()


@pytest.mark.parametrize(("locale", "tenants"), [("fr", THREE), ("ar", TWO)], ids=["fr-three", "ar-two"])
def test_tenants_swap_with_two_landlords(tmp_path, inbox, page, watch, viewport, locale, tenants):
    size = size_of(viewport)
    with serving(tmp_path, smtp_host="127.0.0.1", smtp_port=inbox.port, smtp_starttls=False) as base:
        engine = make_engine(f"sqlite:///{tmp_path / 'portal.db'}")
        with sessionmaker(engine).begin() as session:
            for slug in ("oph", "sa"):
                create_partner(
                    session,
                    f"editeur@{slug}.fr",
                    {create_organisation(session, slug, "landlord"): ["editor"]},
                )
            epci = create_organisation(session, "metropole", "epci")
            create_partner(
                session, "moderation@metropole.fr", {epci: ["reviewer"]}, totp_secret=MODERATOR_SECRET
            )
        engine.dispose()
        emails = [f"t{index}-{locale}-{size}@example.org" for index in range(len(tenants))]
        for index, (email, tenant) in enumerate(zip(emails, tenants, strict=True)):
            join(page, watch, viewport, base, inbox, locale, email, tenant, checked=index == 0)

        confirm = "form[action*='/annonces/'] button[value=confirm]"
        for slug in ("oph", "sa"):
            as_landlord(page, watch, viewport, base, slug, lambda: click_all(page, confirm), slug == "oph")

        swaps = f"{base}/{locale}/echange-de-logement/mes-echanges"
        tenant_signs_in(page, base, locale, emails[0])
        page.goto(swaps)
        check(page, watch, viewport)
        proposals = page.locator("form[action$='/mes-echanges/proposer']")
        assert proposals.count() == 1
        assert proposals.locator("input[name=cycle]").input_value().count("-") == len(tenants) - 1
        proposals.locator("button").click()
        page.wait_for_load_state()
        write_and_report(page, watch, viewport, base, locale, emails[:2])
        for email in emails[1:]:
            tenant_signs_in(page, base, locale, email)
            page.goto(swaps)
            page.locator("form[action$='/reponse'] button[value=yes]").click()
            page.wait_for_load_state()
            page.context.clear_cookies()
        page.goto(f"{base}/partenaires/connexion")
        sign_in(page, "moderation@metropole.fr", secret=MODERATOR_SECRET)
        page.goto(f"{base}/partenaires/echanges/moderation")
        check(page, watch, viewport)
        page.locator("button[value=message_hidden]").click()
        page.wait_for_load_state()
        assert page.locator("article.exchange-item").count() == 0
        page.context.clear_cookies()

        decide = "form[action*='/echanges/'] button[value=approve]"
        as_landlord(page, watch, viewport, base, "sa", lambda: click_all(page, decide), checked=True)
        as_landlord(page, watch, viewport, base, "oph", lambda: click_all(page, decide))
        page.goto(f"{base}/partenaires/connexion")
        sign_in(page, "editeur@oph.fr")
        page.goto(f"{base}/partenaires/echanges/organisations/oph")
        assert "Approuvée : déménagements à faire" in page.locator("article.exchange-item").inner_text()
        page.goto(f"{base}/partenaires/observatoire/echanges")
        check(page, watch, viewport)
        page.context.clear_cookies()

        tenant_signs_in(page, base, locale, emails[0])
        page.goto(swaps)
        assert page.locator("article.exchange-item .tag--success").count() == 1  # approved
