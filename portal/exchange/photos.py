"""Photos of listed dwellings: at most MAX_PHOTOS a listing, each re-encoded by the portal.

An upload is opened by Pillow only if it is a JPEG, PNG or WebP image of at most MAX_BYTES and
MAX_PIXELS (a "decompression bomb" is refused before it is decoded); it is turned the way its camera
said (EXIF orientation), reduced to MAX_SIDE pixels a side and saved again as a JPEG with no metadata
at all (no place, date or device: the EXIF, XMP and ICC data of the upload are not copied). Only that
copy is kept.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.exchange.models import Listing, ListingPhoto

MAX_PHOTOS = 3
MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 1280
FORMATS = ("JPEG", "PNG", "WEBP")


class PhotoRefused(ValueError):
    """`code`: too_large, not_image, too_many."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def reencode(raw: bytes) -> tuple[bytes, int, int]:
    """The portal's own JPEG of an uploaded image, with its size; PhotoRefused when it is not one."""
    if len(raw) > MAX_BYTES:
        raise PhotoRefused("too_large")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw), formats=FORMATS) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise PhotoRefused("too_large")
                image.load()
                upright = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning, OSError):
        raise PhotoRefused("not_image") from None
    upright.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    clean = Image.new("RGB", upright.size)  # a new image: nothing of the upload's metadata comes along
    clean.paste(upright)
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=82, optimize=True, progressive=True)
    return out.getvalue(), clean.width, clean.height


def add(session: Session, listing: Listing, raw: bytes, now: dt.datetime) -> ListingPhoto:
    count = session.scalar(select(func.count()).where(ListingPhoto.listing_id == listing.id))
    if count >= MAX_PHOTOS:
        raise PhotoRefused("too_many")
    data, width, height = reencode(raw)
    photo = ListingPhoto(listing_id=listing.id, data=data, width=width, height=height, created_at=now)
    session.add(photo)
    session.flush()
    return photo


def remove(session: Session, listing: Listing, photo_id: int) -> bool:
    photo = session.get(ListingPhoto, photo_id)
    if photo is None or photo.listing_id != listing.id:
        return False
    session.delete(photo)
    return True


def viewable(session: Session, photo_id: int, viewer: Listing | None) -> ListingPhoto | None:
    """The photo, if the viewer may see it: their own listing's, or a public listing's when the viewer
    has a public listing too (tenants of the exchange, signed in)."""
    photo = session.get(ListingPhoto, photo_id)
    if photo is None or viewer is None:
        return None
    if photo.listing_id == viewer.id:
        return photo
    owner_state = session.scalar(select(Listing.state).where(Listing.id == photo.listing_id))
    return photo if owner_state == "public" and viewer.state == "public" else None


def photo_ids(session: Session, listing_ids: set[int]) -> dict[int, list[int]]:
    """{listing id: its photos' ids}, for the pages that show dwellings."""
    found: dict[int, list[int]] = {ident: [] for ident in listing_ids}
    rows = session.execute(
        select(ListingPhoto.listing_id, ListingPhoto.id)
        .where(ListingPhoto.listing_id.in_(listing_ids))
        .order_by(ListingPhoto.id)
    )
    for listing_id, ident in rows:
        found[listing_id].append(ident)
    return found
