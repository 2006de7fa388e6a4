"""The page checker itself catches the faults it is there for."""

from __future__ import annotations

import pytest

from tests.pagecheck import PageProblem, check_page

GOOD = """<!DOCTYPE html><html lang="{lang}" dir="{dir}"><head><title>{title}</title></head>
<body><main><h1>Bonjour</h1>{body}</main></body></html>"""


def check(body="", lang="fr", dir="ltr", title="Bonjour – Territoire", csp="script-src 'nonce-abc'"):
    check_page(
        GOOD.format(lang=lang, dir=dir, title=title, body=body),
        csp_header=csp,
        rtl_locales={"ar"},
        error_prefixes={"fr": "Erreur :"},
        link_hosts=frozenset({"www.service-public.fr"}),
    )


def test_a_good_page_passes():
    check('<form method="post" action="/x"><input name="csrf_token"></form><script nonce="abc"></script>')
    check('<form method="post" action="/x"><input name="offer-csrf_token"></form>')  # a prefixed form's
    check(title="Erreur : Bonjour – Territoire")
    check(lang="ar", dir="rtl")
    check('<a href="https://www.service-public.fr/particuliers">service public</a>')


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"body": "<h1>Encore</h1>"}, "2 <h1>"),
        ({"title": "Autre chose"}, "does not begin with the <h1>"),
        ({"body": '<p id="a"></p><p id="a"></p>'}, "duplicate ids"),
        ({"lang": "ar", "dir": "ltr"}, "has dir=ltr"),
        ({"body": '<form method="post" action="/x"></form>'}, "no CSRF token"),
        ({"body": '<form method="get"></form>'}, "has no action"),
        ({"body": "<script></script>"}, "CSP nonce"),
        ({"body": '<script nonce="other"></script>'}, "CSP nonce"),
        ({"body": '<img src="https://cdn.example.com/x.png" alt="">'}, "another host"),
        ({"body": '<link href="//fonts.example.com/a.css">'}, "another host"),
        ({"body": '<a href="https://www.example.com/">x</a>'}, "another host"),
        ({"body": '<a href="http://www.service-public.fr/">x</a>'}, "another host"),
        ({"body": '<img src="https://www.service-public.fr/logo.png" alt="">'}, "another host"),
        ({"body": '<img src="/static/x.png">'}, "has no alt"),
        ({"body": '<p style="color:red">x</p>'}, "inline style"),
        ({"body": '<a href="#nowhere">x</a>'}, "missing id"),
    ],
)
def test_each_rule_catches_its_fault(kwargs, message):
    with pytest.raises(PageProblem, match=message):
        check(**kwargs)
