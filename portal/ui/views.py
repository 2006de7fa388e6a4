"""The design system's blueprint: its macros, and the territory's theme as CSS custom properties."""

from __future__ import annotations

import hashlib

from flask import Blueprint, Flask, Response, request

from portal.security import no_rate_limit
from portal.territory.services import current_territory
from portal.ui.theme import theme_css

bp = Blueprint("ui", __name__, template_folder="templates")


@bp.route("/theme.css")
@no_rate_limit
def theme():
    css = theme_css(current_territory().theme)
    etag = hashlib.sha256(css.encode()).hexdigest()[:16]
    response = Response(css, mimetype="text/css")
    response.set_etag(etag)
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response.make_conditional(request)


def init_app(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.register_blueprint(bp)
