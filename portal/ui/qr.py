"""QR codes made here (no service is called): SVG paths, crisp at any size. A desk sheet's link to its
page, the key of an authenticator app being set up."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from flask import Response


def qr_svg(text: str) -> bytes:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue()


def secret_qr_response(text: str) -> Response:
    """A QR code holding a secret (a TOTP key): made for this response, never stored or cached."""
    response = Response(qr_svg(text), mimetype="image/svg+xml")
    response.cache_control.no_store = True
    return response
