"""`manage.py sandbox`: run DNS + Plesk fleet + voucher CA until stopped."""

import signal
import threading
from pathlib import Path

from django.core.management.base import BaseCommand

from apps.sandbox import runner


class Command(BaseCommand):
    help = "Run the sandbox Plesk fleet, DNS and voucher CA on loopback until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--servers", type=int, default=3)
        parser.add_argument("--sites", type=int, default=300)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--state", default="var/sandbox/state.json")

    def handle(self, *args, servers, sites, seed, state, **options):
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        running = runner.start(servers=servers, sites=sites, seed=seed)
        path = Path(state)
        try:
            described = running.state()
            runner.write_state(path, described)
            self.stdout.write(
                f"sandbox: {len(described['servers'])} servers, {sites} sites, "
                f"DNS {running.dns.host}:{running.dns.port}, "
                f"CA {described['ca']['wsdl_url']}; state in {path}"
            )
            self.stdout.flush()
            stop.wait()
        finally:
            path.unlink(missing_ok=True)
            running.stop()
            self.stdout.write("sandbox stopped")
