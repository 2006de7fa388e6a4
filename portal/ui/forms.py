"""WTForms fields that render through the design system's macros, with accessible error wiring.

Templates write `{{ form.email() }}`: the field knows its component (ui/forms.html), its label, its
hint and its error, and links them with aria-describedby and aria-invalid.
"""

from __future__ import annotations

import wtforms
from flask import current_app, has_request_context, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField as FlaskFileField
from markupsafe import Markup

from portal.text import parse_euros


class ComponentField:
    """Mixin: calling the field renders the whole component, `control()` only the bare widget."""

    component = "text_input"

    def __init__(self, *args, hint: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.hint = hint

    def __call__(self, **attributes) -> Markup:
        module = current_app.jinja_env.get_template("ui/forms.html").module
        return getattr(module, self.component)(self, attributes)

    def control(self, **attributes) -> Markup:
        return self.widget(self, **attributes)


class StringField(ComponentField, wtforms.StringField):
    pass


class EmailField(ComponentField, wtforms.EmailField):
    pass


class PasswordField(ComponentField, wtforms.PasswordField):
    pass


class IntegerField(ComponentField, wtforms.IntegerField):
    """A whole number; the browser shows a numeric keypad, and a bad value gets a translated message."""

    widget = wtforms.widgets.TextInput()  # type=number misbehaves with screen readers and scroll wheels

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "numeric", "autocomplete": "off"})
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0].strip():
            cleaned = valuelist[0].replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
            try:
                self.data = int(cleaned)
            except ValueError:
                self.data = None
                raise ValueError(_l("Enter a whole number, with digits only")) from None
        else:
            self.data = None


class DecimalField(ComponentField, wtforms.DecimalField):
    pass


class AmountField(StringField):
    """A sum of euros a month, written the French way or not ("612,50" or "612.50")."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "decimal", "autocomplete": "off"})
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        self.raw = valuelist[0].strip() if valuelist else ""
        self.data = parse_euros(self.raw) if self.raw else None
        if self.raw and self.data is None:
            raise ValueError(_l("Enter an amount in euros, like 412,50"))

    def _value(self) -> str:
        return self.raw if getattr(self, "raw", None) else ("" if self.data is None else str(self.data))


class DateField(ComponentField, wtforms.DateField):
    pass


class SearchField(ComponentField, wtforms.SearchField):
    pass


class FileField(ComponentField, FlaskFileField):
    """A file input rendered like the other fields (label, hint, error wired to it)."""


class TextAreaField(ComponentField, wtforms.TextAreaField):
    component = "textarea"


class SelectField(ComponentField, wtforms.SelectField):
    component = "select"


class BooleanField(ComponentField, wtforms.BooleanField):
    component = "checkbox"


class RadioField(ComponentField, wtforms.RadioField):
    component = "radios"


class CheckboxesField(ComponentField, wtforms.SelectMultipleField):
    """Several choices among a few, as a group of checkboxes (a fieldset; its legend is the question)."""

    component = "checkboxes"
    widget = wtforms.widgets.ListWidget(prefix_label=False)
    option_widget = wtforms.widgets.CheckboxInput()


class SubmitField(ComponentField, wtforms.SubmitField):
    component = "submit"


class PortalForm(FlaskForm):
    """A form whose errors feed the error summary and the page title."""

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form, formdata):
            """HTML form bodies only: Flask-WTF would also read a JSON body as the form, which is never
            what a page of the portal sends (and would dodge limits counted on the form's fields)."""
            wrapped = super().wrap_formdata(form, formdata)
            if has_request_context() and request.is_json and wrapped is not formdata:
                return None
            return wrapped

        def render_field(self, field, render_kw):
            """The CSRF token's hidden input carries no id: a page may hold several forms (each its
            token), and ids must stay unique on a page."""
            if field.type == "CSRFTokenField":
                render_kw = {**render_kw, "id": False}
            return super().render_field(field, render_kw)

    def error_list(self) -> list[tuple[str, str]]:
        """(field id, first message) for every field in error, in the form's order."""
        return [
            (field.id, field.errors[0]) for field in self if field.errors and field.type != "CSRFTokenField"
        ]


class CodeForm(PortalForm):
    """The 6-digit code of an authenticator app (a second sign-in step: partners', tenants')."""

    code = StringField(
        _l("Code from your authenticator app"),
        validators=[wtforms.validators.DataRequired(_l("Enter the 6-digit code"))],
        hint=_l("6 digits; a new code every 30 seconds."),
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"},
    )
