"""PDF guides: cold rendering of the full applicant's guide (French and Arabic), a cache hit through the
app, and the same HTML printed by headless Chromium for comparison.

Usage: python bench/guides.py [--requests N]. Targets: full guide cold < 3 s, cache hit p95 < 10 ms.
"Cold" is a rendering with no cached PDF (the process has rendered once before, so fonts are decompressed:
the first rendering of a process is reported apart). Chromium runs as `chromium --headless
--print-to-pdf` on a copy of the same HTML and static files; its time includes starting the browser,
which is also reported alone (an empty page). Last line JSON.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from _common import bench_settings, init_database

from portal import create_app
from portal.guides.documents import guide_document
from portal.guides.render import render, render_pdf

CHROMIUM = shutil.which("chromium-headless-shell") or shutil.which("chromium") or "/usr/bin/chromium"


def chromium_print(html_path: Path, out: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--print-to-pdf={out}",
            html_path.as_uri(),
        ],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    results: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 'bench.db'}"
        init_database(url, folder)
        app = create_app(bench_settings(url, folder))
        app.extensions["portal.limiter"].enabled = False  # one client asks hundreds of times: not an abuse
        static = Path(app.static_folder)
        with app.test_request_context("/fr/guides"):
            documents = {locale: guide_document("guide", locale) for locale in ("fr", "ar")}
            started = time.perf_counter()
            render_pdf(documents["fr"].html, static, documents["fr"].generated)
            results["first_render_of_process_s"] = round(time.perf_counter() - started, 2)
            for locale, document in documents.items():
                times = []
                for _ in range(3):
                    started = time.perf_counter()
                    pdf, pages = render(document.html, static, document.generated)
                    times.append(time.perf_counter() - started)
                results[f"cold_{locale}_s"] = round(statistics.median(times), 2)
                results[f"size_{locale}_kb"] = round(len(pdf) / 1024)
                results[f"pages_{locale}"] = pages
        client = app.test_client()
        path = "/fr/guides?guide=guide&locale=fr&format=pdf"
        assert client.get(path).status_code == 200  # fills the cache
        timings = []
        for _ in range(args.requests):
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200 and response.data.startswith(b"%PDF")
        timings.sort()
        results["cache_hit_ms"] = {
            "p50": round(statistics.median(timings), 2),
            "p95": round(timings[int(len(timings) * 0.95) - 1], 2),
        }
        # Chromium prints the same HTML, with the same static files beside it.
        site = folder / "site"
        shutil.copytree(static, site / "static")
        (site / "generated").mkdir()
        for name, (body, _) in documents["fr"].generated.items():
            (site / "generated" / name).write_bytes(body)
        html = documents["fr"].html.replace('"/static/', '"static/').replace('"/generated/', '"generated/')
        (site / "guide.html").write_text(html, encoding="utf-8")
        (site / "empty.html").write_text("<!doctype html><title>x</title>", encoding="utf-8")
        startup = min(chromium_print(site / "empty.html", folder / "empty.pdf") for _ in range(2))
        chromium = min(chromium_print(site / "guide.html", folder / "chromium.pdf") for _ in range(2))
        results["chromium_fr_s"] = round(chromium, 2)
        results["chromium_startup_s"] = round(startup, 2)
        results["ratio_weasyprint_to_chromium"] = round(results["cold_fr_s"] / chromium, 2)
    print(
        f"full guide cold: fr {results['cold_fr_s']} s ({results['pages_fr']} pages), "
        f"ar {results['cold_ar_s']} s ({results['pages_ar']} pages); first of the process "
        f"{results['first_render_of_process_s']} s"
    )
    print(
        f"cache hit through the app: p50 {results['cache_hit_ms']['p50']} ms, "
        f"p95 {results['cache_hit_ms']['p95']} ms"
    )
    print(
        f"chromium --print-to-pdf, same HTML: {results['chromium_fr_s']} s "
        f"(of which starting the browser about {results['chromium_startup_s']} s); "
        f"WeasyPrint / Chromium = {results['ratio_weasyprint_to_chromium']}"
    )
    print(json.dumps({"benchmark": "guides", **results}))


if __name__ == "__main__":
    main()
