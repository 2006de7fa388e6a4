"""The design system's form fields: labels, hints, errors wired for screen readers; input kept on error."""

from __future__ import annotations

import html5lib
import pytest
from flask import render_template_string
from wtforms import SelectChoice
from wtforms.validators import DataRequired, Email, Length

from portal.ui.forms import BooleanField, EmailField, PortalForm, RadioField, SelectField, StringField

PAGE = """{% extends "layout.html" %}{% import "ui/forms.html" as forms %}
{% block title %}Contact{% endblock %}
{% block content %}{{ forms.error_summary(form) }}
<form method="post" action="{{ request.path }}" novalidate>{{ form.csrf_token }}
{{ form.name() }}{{ form.email() }}{{ form.commune() }}{{ form.contact() }}{{ form.agree() }}
<button type="submit">OK</button></form>{% endblock %}"""


class ContactForm(PortalForm):
    name = StringField(
        "Your name",
        validators=[DataRequired("Enter your name"), Length(max=20)],
        hint="As written on your identity document",
    )
    email = EmailField("Email", validators=[DataRequired("Enter your email"), Email("Enter a valid email")])
    commune = SelectField(
        "Commune",
        choices=[SelectChoice("", "Choose"), SelectChoice("72181", "Le Mans")],
        validators=[DataRequired("Choose a commune")],
    )
    contact = RadioField(
        "How may we contact you?",
        choices=[SelectChoice("phone", "Phone"), SelectChoice("email", "Email")],
        validators=[DataRequired("Choose how we contact you")],
    )
    agree = BooleanField("I agree")


@pytest.fixture
def form_app(app):
    app.config["WTF_CSRF_ENABLED"] = True

    @app.route("/<locale:lang_code>/test-form", methods=["GET", "POST"])
    def contact():
        form = ContactForm()
        if form.validate_on_submit():
            return "sent", 200, {"Content-Type": "text/plain"}
        return render_template_string(PAGE, form=form)

    return app


def csrf_token(client) -> str:
    page = html5lib.parse(client.get("/fr/test-form").get_data(as_text=True), namespaceHTMLElements=False)
    return page.find(".//input[@name='csrf_token']").get("value")


def test_fields_render_with_labels_and_hints(form_app):
    page = html5lib.parse(
        form_app.test_client().get("/fr/test-form").get_data(as_text=True), namespaceHTMLElements=False
    )
    name = page.find(".//input[@id='name']")
    assert page.find(".//label[@for='name']") is not None
    assert name.get("aria-describedby") == "name-hint"
    assert name.get("aria-invalid") is None
    assert page.find(".//fieldset[@id='contact']/legend") is not None
    assert page.find(".//div[@id='error-summary']") is None


def test_failed_form_announces_its_errors_and_keeps_what_was_typed(form_app):
    client = form_app.test_client()
    response = client.post(
        "/fr/test-form",
        data={"csrf_token": csrf_token(client), "name": "Amina", "email": "not-an-email", "commune": "72181"},
    )
    assert response.status_code == 200
    page = html5lib.parse(response.get_data(as_text=True), namespaceHTMLElements=False)
    assert page.find(".//title").text.startswith("Erreur")
    summary = page.find(".//div[@id='error-summary']")
    assert summary.get("role") == "alert"
    assert [a.get("href") for a in summary.findall(".//a")] == ["#email", "#contact"]
    email = page.find(".//input[@id='email']")
    assert email.get("aria-invalid") == "true"
    assert email.get("aria-describedby") == "email-error"
    assert email.get("value") == "not-an-email"
    assert page.find(".//input[@id='name']").get("value") == "Amina"
    assert page.find(".//select[@id='commune']/option[@selected]").get("value") == "72181"
    assert "Enter a valid email" in "".join(page.find(".//p[@id='email-error']").itertext())
    assert page.find(".//fieldset[@id='contact']").get("aria-describedby") == "contact-error"


def test_valid_form_is_accepted(form_app):
    client = form_app.test_client()
    response = client.post(
        "/fr/test-form",
        data={
            "csrf_token": csrf_token(client),
            "name": "Amina",
            "email": "amina@example.org",
            "commune": "72181",
            "contact": "email",
        },
    )
    assert response.get_data(as_text=True) == "sent"


def test_form_without_csrf_token_is_refused(form_app):
    response = form_app.test_client().post("/fr/test-form", data={"name": "Amina"})
    assert response.status_code == 400


def test_components_render_outside_a_form(app):
    with app.test_request_context("/fr/"):
        app.preprocess_request()
        html = render_template_string(
            '{% import "ui/components.html" as ui %}'
            '{{ ui.table("Plafonds", ["Catégorie", "Montant"], [["1", "23 403 €"]], numeric=(1,)) }}'
            '{{ ui.notice("Attention", kind="warning", title="À savoir") }}{{ ui.tag("Ouvert", "success") }}'
            '{{ ui.button("Envoyer") }}{{ ui.link_button("Voir", "/fr/") }}'
        )
    page = html5lib.parse(html, namespaceHTMLElements=False)
    assert page.find(".//table/caption").text == "Plafonds"
    assert page.find(".//tbody/tr/th[@scope='row']").text == "1"
    assert page.find(".//tbody/tr/td[@class='numeric']").text == "23 403 €"
    assert page.find(".//div[@class='notice notice--warning']") is not None
    assert page.find(".//span[@class='tag tag--success']").text == "Ouvert"
    assert page.find(".//button[@type='submit']").text == "Envoyer"
