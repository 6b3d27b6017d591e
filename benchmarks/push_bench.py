"""Bulk push throughput: certificates per second through real Celery workers.

    .venv/bin/python benchmarks/push_bench.py --sites 300 --workers 2 --concurrency 4

Runs in a data folder of its own (a fresh SQLite database and broker unless
DATABASE_URL / CELERY_BROKER_URL say otherwise): starts the sandbox and the
workers, pushes the super voucher onto every site, prints the rate, stops all.
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=300)
    parser.add_argument("--servers", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="certfleet-bench-")
    os.environ["CERTFLEET_DATA_DIR"] = folder
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from apps.bulk import demo, demo_flow

    call_command("migrate", verbosity=0)
    run = demo_flow.Demo(
        demo_flow.Options(
            servers=args.servers,
            sites=args.sites,
            workers=args.workers,
            concurrency=args.concurrency,
        ),
        sys.stdout,
    )
    try:
        state = run.start_sandbox()
        dns = f"{state['dns']['host']}:{state['dns']['port']}"
        settings.CERTFLEET_DNS_SERVER = dns
        setup = demo.register_sandbox(state)
        run.start_workers(dns)
        push, elapsed = run.push(setup)
    finally:
        run.stop()
    issued = demo_flow.services.progress(push).done
    print(
        f"issued {issued} certificates in {elapsed:.1f}s with {args.workers} x "
        f"{args.concurrency} worker processes: {issued / elapsed:.2f} per second"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
