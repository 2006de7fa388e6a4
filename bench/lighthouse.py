"""Lighthouse's mobile performance score of the public pages, in every language, served by gunicorn as in
production (2 sync workers, the demonstration database).

Usage: python bench/lighthouse.py [--locales fr,ar] [--pages /,/ma-demande]
Lighthouse (npm) is installed on first use into instance/lighthouse/ (the npm registry); it drives
Debian's Chromium (`make chromium`). Each page is measured with Lighthouse's default mobile settings
(simulated slow 4G, a mid-range phone's CPU). Target: every page in every locale at 0.95 or more.
Last line JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from _common import init_database
from pages import ROOT, free_port, production_environ, serve

LIGHTHOUSE_VERSION = "12.8.2"
CACHE = ROOT / "instance" / "lighthouse"
LOCALES = ("fr", "en", "ar", "es", "pt", "tr", "ro", "uk", "ru")
PAGES = (
    "/",
    "/informations/situations-prioritaires-et-dalo",
    "/eligibilite",
    "/guichets",
    "/cotation/grille",
    "/ma-demande",
    "/chiffres",
)
CHROMES = ("/usr/bin/chromium", "/usr/bin/chromium-headless-shell")


def lighthouse() -> Path:
    binary = CACHE / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                str(CACHE),
                "--no-audit",
                "--no-fund",
                f"lighthouse@{LIGHTHOUSE_VERSION}",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return binary


def score(binary: Path, url: str, chrome: str) -> tuple[float, int]:
    """(performance score, bytes transferred) of one page."""
    result = subprocess.run(
        [
            str(binary),
            url,
            "--quiet",
            "--only-categories=performance",
            "--output=json",
            "--output-path=stdout",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ],
        env=dict(os.environ, CHROME_PATH=chrome),
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(result.stdout)
    weight = report["audits"]["total-byte-weight"]["numericValue"]
    return report["categories"]["performance"]["score"], int(weight)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--locales", default=",".join(LOCALES))
    parser.add_argument("--pages", default=",".join(PAGES))
    args = parser.parse_args()
    chrome = next((path for path in CHROMES if Path(path).exists()), None)
    if chrome is None or shutil.which("npm") is None:
        raise SystemExit("needs Debian's Chromium (make chromium) and npm")
    binary = lighthouse()
    results: dict[str, dict[str, dict]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        database_url = f"sqlite:///{folder / 'bench.db'}"
        init_database(database_url, folder)
        port = free_port()
        environ = production_environ(
            database_url,
            folder,
            PORTAL_TRUSTED_HOSTS=f"127.0.0.1:{port}",
            PORTAL_RATELIMIT_DEFAULT="100000 per minute",
        )
        server = serve(environ, port)
        try:
            for locale in args.locales.split(","):
                for page in args.pages.split(","):
                    url = f"http://127.0.0.1:{port}/{locale}{page}"
                    value, weight = score(binary, url, chrome)
                    results.setdefault(locale, {})[page] = {"score": value, "kb": round(weight / 1024)}
                    print(f"{locale:3} {page:48} {value:.2f}  {weight / 1024:6.0f} KB", flush=True)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    lowest = min(
        (figures["score"], locale, page)
        for locale, pages in results.items()
        for page, figures in pages.items()
    )
    print(f"lowest: {lowest[0]:.2f} ({lowest[1]}{lowest[2]})")
    print(json.dumps({"benchmark": "lighthouse", "lowest": lowest[0], "results": results}))


if __name__ == "__main__":
    main()
