"""What the security work costs and whether timing tells anything: the look-up of a known number with a
wrong birth date against an unknown number, and "forgotten password" for an address with an account
against one without, through the app (production Argon2 parameters), on SQLite.

Usage: python bench/security.py [--requests N]. Prints medians and p95 in ms, then the ratio
known/unknown (1.00 means the same time); last line JSON.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import statistics
import tempfile
import time
from pathlib import Path

from _common import bench_settings, init_database

from portal import create_app, db
from portal.cotation.services import stored_grids
from portal.demands.demo import DEMO_DAY, generate
from portal.partners import accounts
from portal.partners.models import Membership, Organisation, User
from portal.territory.services import current_territory


def token(client, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def figures(times: list[float]) -> dict:
    times = sorted(times)
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
    }


def paired(first, second, count: int) -> tuple[dict, dict]:
    """Both calls in turn, so that neither gains from what the machine did before."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(count):
        for index, call in enumerate((first, second)):
            start = time.perf_counter()
            call()
            times[index].append((time.perf_counter() - start) * 1000)
    return figures(times[0]), figures(times[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 'bench.db'}"
        init_database(url, folder)
        # A real queue (nothing consumes it here): the request only queues, as in production.
        settings = dataclasses.replace(bench_settings(url, folder), jobs_immediate=False, log_level="WARNING")
        app = create_app(settings)
        app.extensions["portal.limiter"].enabled = False
        with app.app_context():
            session = db.session()
            territory = current_territory()
            known = generate(
                session, stored_grids(session), [c.insee for c in territory.communes], 20, DEMO_DAY, None
            )[0][0]
            organisation = session.query(Organisation).first()
            user = User(
                email="connu@exemple.fr", name="Connu", password_hash=accounts.hash_password("x" * 20)
            )
            user.memberships = [Membership(organisation_id=organisation.id, role="editor")]
            session.add(user)
            session.commit()
        client = app.test_client()
        lookup_token = token(client, "/fr/ma-demande")

        def look_up(number: str):
            response = client.post(
                "/fr/ma-demande",
                data={"csrf_token": lookup_token, "number": number, "birth_date": "01/01/1901"},
            )
            assert response.status_code == 400

        forgot_token = token(client, "/partenaires/mot-de-passe-oublie")

        def forgot(email: str):
            response = client.post(
                "/partenaires/mot-de-passe-oublie", data={"csrf_token": forgot_token, "email": email}
            )
            assert response.status_code == 302

        look_up(known)  # warm
        results = {}
        results["lookup_known_wrong_date"], results["lookup_unknown_number"] = paired(
            lambda: look_up(known), lambda: look_up("0729999999999G0101"), args.requests
        )
        results["forgot_known_address"], results["forgot_unknown_address"] = paired(
            lambda: forgot("connu@exemple.fr"), lambda: forgot("inconnu@exemple.fr"), args.requests
        )
    for name, figures in results.items():
        print(f"{name:26} p50 {figures['p50_ms']:8.2f} ms  p95 {figures['p95_ms']:8.2f} ms")
    lookup_ratio = results["lookup_known_wrong_date"]["p50_ms"] / results["lookup_unknown_number"]["p50_ms"]
    forgot_ratio = results["forgot_known_address"]["p50_ms"] / results["forgot_unknown_address"]["p50_ms"]
    print(f"look-up known/unknown {lookup_ratio:.2f}; forgotten password known/unknown {forgot_ratio:.2f}")
    print(
        json.dumps(
            {
                "benchmark": "security",
                "requests": args.requests,
                "results": results,
                "lookup_ratio": round(lookup_ratio, 2),
                "forgot_ratio": round(forgot_ratio, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
