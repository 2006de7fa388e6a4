"""`make check-strings`: the POT matches the code, and every catalog is up to date.

Fails (exit 1) when the committed POT differs from a fresh extraction, when a catalog misses a msgid
of the POT, or when the French catalog has an empty or fuzzy translation.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po

from portal.config import PROJECT_ROOT

TRANSLATIONS = PROJECT_ROOT / "translations"
POT = TRANSLATIONS / "messages.pot"
COMPLETE_LOCALES = ("fr",)


def extract(output: Path) -> None:
    subprocess.run(  # noqa: S603 - fixed arguments
        [
            str(Path(sys.executable).with_name("pybabel")),
            "-q",
            "extract",
            "-F",
            str(TRANSLATIONS / "babel.cfg"),
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-k",
            "N_",
            "-k",
            "ngettext_signed:1,2",
            "--no-location",
            "--sort-output",
            "-o",
            str(output),
            ".",
        ],
        check=True,
        cwd=PROJECT_ROOT,
    )


def _messages(path: Path) -> dict[str, object]:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return {message.id: message for message in catalog if message.id}


def problems() -> list[str]:
    found = []
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "messages.pot"
        extract(fresh)
        fresh_ids, committed_ids = set(_messages(fresh)), set(_messages(POT)) if POT.exists() else set()
    if fresh_ids != committed_ids:
        added, removed = (
            sorted(fresh_ids - committed_ids, key=str),
            sorted(committed_ids - fresh_ids, key=str),
        )
        found.append(
            f"{POT.relative_to(PROJECT_ROOT)} is stale (run `make update`): "
            f"{len(added)} new, {len(removed)} gone; e.g. {(added or removed)[:3]}"
        )
    for po in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")):
        locale = po.parts[-3]
        messages = _messages(po)
        missing = sorted(fresh_ids - set(messages), key=str)
        if missing:
            found.append(f"{locale}: {len(missing)} msgids missing (run `make update`), e.g. {missing[:3]}")
        if locale in COMPLETE_LOCALES:
            untranslated = [
                mid for mid, message in messages.items() if not _translated(message.string) or message.fuzzy
            ]
            if untranslated:
                found.append(
                    f"{locale}: {len(untranslated)} strings untranslated or fuzzy, e.g. {untranslated[:3]}"
                )
    return found


def _translated(string) -> bool:
    if isinstance(string, tuple | list):
        return all(string)
    return bool(string)


def main() -> int:
    found = problems()
    for problem in found:
        print(f"check-strings: {problem}", file=sys.stderr)
    if not found:
        print("check-strings: POT up to date, every catalog complete for its msgids, French complete.")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
