"""The files of the shared documents: which kinds are accepted, how an upload is checked, where it is
kept, and the names shown and offered for download. Nothing here reads the request.

A file is accepted when its extension is one of KINDS *and* its first bytes are those of that kind (a PDF
starts with `%PDF-`; an OpenDocument or OOXML file is a ZIP holding that format's own marker; a legacy
Office file is an OLE compound file; CSV and text files hold no binary bytes). The name the uploader gave
is only text to show: it never becomes a path.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from babel.units import format_unit
from flask_babel import lazy_gettext as _l

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
STORED_NAME = re.compile(r"[0-9a-f]{32}")
NAME_LENGTH = 200


class Refused(ValueError):
    """The upload is refused; the message says why, in the reader's language."""


def _odf(mimetype: str) -> Callable[[bytes], bool]:
    """An OpenDocument file is a ZIP whose `mimetype` member names its type."""

    def check(data: bytes) -> bool:
        if not data.startswith(ZIP_MAGIC):
            return False
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                info = archive.getinfo("mimetype")
                return info.file_size < 200 and archive.read(info).strip() == mimetype.encode()
        except (zipfile.BadZipFile, KeyError, RuntimeError, NotImplementedError, OSError):
            return False

    return check


def _ooxml(folder: str) -> Callable[[bytes], bool]:
    """An OOXML file is a ZIP with `[Content_Types].xml` and its main part's folder (word/, xl/, ppt/)."""

    def check(data: bytes) -> bool:
        if not data.startswith(ZIP_MAGIC):
            return False
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, RuntimeError, OSError):
            return False
        return "[Content_Types].xml" in names and any(name.startswith(folder) for name in names)

    return check


def _text(data: bytes) -> bool:
    """CSV and text: no control byte other than tab, line ends and form feed (an executable has NULs)."""
    head = data[:65536]
    return not any(byte < 0x20 and byte not in b"\t\n\r\f" for byte in head) and not head.startswith(b"MZ")


@dataclass(frozen=True)
class FileKind:
    extension: str
    content_type: str
    label: str  # what the reader is told before downloading: "PDF", "ODT" …
    check: Callable[[bytes], bool]


KINDS = {
    kind.extension: kind
    for kind in (
        FileKind("pdf", "application/pdf", "PDF", lambda data: data.startswith(PDF_MAGIC)),
        FileKind(
            "odt",
            "application/vnd.oasis.opendocument.text",
            "ODT",
            _odf("application/vnd.oasis.opendocument.text"),
        ),
        FileKind(
            "ods",
            "application/vnd.oasis.opendocument.spreadsheet",
            "ODS",
            _odf("application/vnd.oasis.opendocument.spreadsheet"),
        ),
        FileKind(
            "odp",
            "application/vnd.oasis.opendocument.presentation",
            "ODP",
            _odf("application/vnd.oasis.opendocument.presentation"),
        ),
        FileKind(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "DOCX",
            _ooxml("word/"),
        ),
        FileKind(
            "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX", _ooxml("xl/")
        ),
        FileKind(
            "pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "PPTX",
            _ooxml("ppt/"),
        ),
        FileKind("doc", "application/msword", "DOC", lambda data: data.startswith(OLE_MAGIC)),
        FileKind("xls", "application/vnd.ms-excel", "XLS", lambda data: data.startswith(OLE_MAGIC)),
        FileKind("ppt", "application/vnd.ms-powerpoint", "PPT", lambda data: data.startswith(OLE_MAGIC)),
        FileKind("csv", "text/csv", "CSV", _text),
        FileKind("txt", "text/plain", "TXT", _text),
    )
}


def display_name(raw: str | None) -> str:
    """The uploader's file name made safe to show and to offer: the last part of any path (POSIX or
    Windows), without control or invisible formatting characters (NUL, line ends, right-to-left
    overrides that disguise an extension), spaces tidied, at most NAME_LENGTH characters."""
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(char for char in name if not unicodedata.category(char).startswith("C"))
    name = " ".join(name.split())
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    stem = stem.strip(" .") or "document"  # no hidden file, no trailing dot (Windows drops it)
    extension = re.sub(r"[^A-Za-z0-9]", "", extension)[:10]
    stem = stem[: NAME_LENGTH - len(extension) - 1]
    return f"{stem}.{extension}" if extension else stem


def extension_of(name: str) -> str:
    return name.rpartition(".")[2].lower() if "." in name else ""


def check_upload(name: str, data: bytes, max_bytes: int) -> FileKind:
    """The kind of an uploaded file; Refused, with the reason, when it must not be kept."""
    kind = KINDS.get(extension_of(name))
    if kind is None:
        raise Refused(
            _l(
                "This type of file is not accepted. Send a PDF, an OpenDocument or Microsoft Office "
                "file (odt, ods, odp, docx, xlsx, pptx, doc, xls, ppt), a CSV or a text file."
            )
        )
    if not data:
        raise Refused(_l("The file is empty."))
    if len(data) > max_bytes:
        raise Refused(_l("The file is larger than %(size)s MB.", size=max_bytes // (1024 * 1024)))
    if not kind.check(data):
        raise Refused(
            _l(
                "The file does not contain what a %(kind)s file contains: it may have been renamed or "
                "damaged.",
                kind=kind.label,
            )
        )
    return kind


def content_type_of(kind: FileKind, data: bytes) -> str:
    """The type the file is served with; text says its encoding (UTF-8, else Windows-1252)."""
    if not kind.content_type.startswith("text/"):
        return kind.content_type
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return f"{kind.content_type}; charset=windows-1252"
    return f"{kind.content_type}; charset=utf-8"


def store(folder: Path, data: bytes) -> tuple[str, str]:
    """Write the file under a new random name in `folder`; (that name, its SHA-256). The file appears
    whole or not at all (written aside, then renamed)."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o750)
    stored_name = secrets.token_hex(16)
    partial = folder / f".{stored_name}.part"
    with open(partial, "xb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    partial.chmod(0o640)
    os.replace(partial, folder / stored_name)
    return stored_name, hashlib.sha256(data).hexdigest()


def path_of(folder: Path, stored_name: str) -> Path:
    """The file of a document; its name comes from the database and is checked to be one of ours."""
    if not STORED_NAME.fullmatch(stored_name):
        raise ValueError("not a stored document name")
    return folder / stored_name


def remove(folder: Path, stored_name: str) -> None:
    path_of(folder, stored_name).unlink(missing_ok=True)


def ascii_name(name: str) -> str:
    """The name for old clients (`filename=`): ASCII letters, digits, dot, dash and underscore only."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", folded).strip("._") or "document"
    extension = extension_of(name)
    if extension and not safe.lower().endswith("." + extension):
        safe = f"{safe}.{re.sub(r'[^a-z0-9]', '', extension)}"
    return safe


def content_disposition(name: str) -> str:
    """`attachment` with both names: a plain ASCII one and the real one in RFC 5987 form (`filename*`)."""
    return f"attachment; filename=\"{ascii_name(name)}\"; filename*=UTF-8''{quote(name, safe='')}"


def size_label(size: int, locale: str) -> str:
    """ "240 kB", "1.5 MB" in the reader's language (announced before a download)."""
    if size < 1024 * 1024:
        return format_unit(max(1, round(size / 1024)), "digital-kilobyte", length="short", locale=locale)
    return format_unit(
        size / (1024 * 1024), "digital-megabyte", length="short", locale=locale, format="#,##0.#"
    )
