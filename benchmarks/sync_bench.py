"""Sync benchmark: a 5,000-site Plesk server (sandbox), a full sync, then a resync
after 10 changes. Prints seconds, rows written, packets and queries.

    .venv/bin/python benchmarks/sync_bench.py [--sites 5000]

Runs against a throwaway test database of the configured backend (SQLite by
default, PostgreSQL when DATABASE_URL is set). Not a test: figures only.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")


def change_ten(fleet) -> None:
    """3 renames, 2 removals, 3 new bindings, 2 new sites."""
    srv = fleet.server(1)
    sites = [d for d in srv.state.domains.values() if d.kind == "site"]
    for n, domain in enumerate(sites[:3]):
        fleet.rename_site(domain.ascii_name, f"renamed-{n}.example")
    for domain in sites[3:5]:
        fleet.remove_site(domain.ascii_name)
    for domain in sites[5:8]:
        domain.ssl, domain.certificate_name = True, "bound-by-hand"
    for n in range(2):
        fleet.add_site(srv.state.webspaces()[0].ascii_name, f"added-{n}.example")


def run(sites: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.fleet.services import register_server, sync_server
    from apps.sandbox.plesk import start_fleet

    started = time.monotonic()
    fleet = start_fleet(servers=1, sites=sites, seed=1, host_prefix="127.0.8")
    print(f"sandbox with {sites} sites started in {time.monotonic() - started:.2f}s")
    try:
        info = fleet.describe()["servers"][0]
        server = register_server(
            name=info["name"],
            host=info["host"],
            port=info["api_port"],
            auth="key",
            login="admin",
            secret=info["secret_key"],
            fingerprint_sha256=info["fingerprint_sha256"],
            https_port=info["https_port"],
        )
        for label, prepare in (
            ("full sync", None),
            ("resync after 10 changes", change_ten),
        ):
            if prepare:
                prepare(fleet)
            with CaptureQueriesContext(connection) as queries:
                began = time.monotonic()
                report = sync_server(server)
                seconds = time.monotonic() - began
            print(
                f"{label}: {seconds:.2f}s, {report.written} rows written "
                f"({report.created} new, {report.updated} changed, "
                f"{report.orphaned} gone, {report.unchanged} unchanged), "
                f"{report.packets} packets, {len(queries)} queries"
            )
    finally:
        fleet.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=5000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    print(f"database: {connection.vendor}")
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(args.sites)
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
