"""`manage.py demo [--exit] [--sites N]`: the main job end to end (see demo_flow)."""

import os
import signal
import socket
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.bulk import demo, demo_flow
from apps.bulk.children import Child, manage
from apps.certificates.models import OrderStep


def port_is_free(port: int) -> None:
    """Fail before the long run, not after it, when the portal could not listen."""
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as exc:
            raise CommandError(
                f"port {port} is in use ({exc.strerror}); choose another with "
                f"`make demo PORT=8001` (or --port)"
            ) from exc


class Command(BaseCommand):
    help = "Push a super voucher onto the sandbox fleet through real Celery workers."

    def add_arguments(self, parser):
        parser.add_argument(
            "--exit",
            action="store_true",
            dest="exit_after",
            help="stop after the summary instead of serving the portal",
        )
        parser.add_argument("--sites", type=int, default=300, help="sandbox sites")
        parser.add_argument("--servers", type=int, default=3, help="Plesk servers")
        parser.add_argument("--workers", type=int, default=2, help="worker processes")
        parser.add_argument(
            "--concurrency", type=int, default=4, help="processes per worker"
        )
        parser.add_argument(
            "--port", type=int, default=8000, help="where the portal listens"
        )

    def handle(self, *args, **opts):
        if not opts["exit_after"]:
            port_is_free(opts["port"])
        options = demo_flow.Options(
            **{k: opts[k] for k in demo_flow.Options.__dataclass_fields__}
        )
        run = demo_flow.Demo(options, self.stdout)
        # A plain `kill` must stop the children too (they run in their own sessions).
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        try:
            setup, ok = self.main_job(run)
            if options.exit_after:
                if not ok:
                    raise CommandError("some eligible sites do not serve a new chain")
                return
            self.serve(run, setup)
        finally:
            run.stop()

    def main_job(self, run: demo_flow.Demo):
        demo_flow.purge_broker()
        state = run.start_sandbox()
        dns = f"{state['dns']['host']}:{state['dns']['port']}"
        settings.CERTFLEET_DNS_SERVER = dns
        os.environ["CERTFLEET_DNS_SERVER"] = dns  # for every child: workers, portal
        setup = demo.register_sandbox(state)
        run.say(
            f"portal: provider set up, {len(setup.servers)} servers synced, "
            f"super voucher {setup.voucher.code} imported"
        )
        run.start_workers(dns)

        sites = demo_flow.services.select_sites(setup.staff, {})
        before = demo.served_now(sites)
        run.say(f"push: super voucher onto {sites.count()} sites")
        push, elapsed = run.push(setup)
        for line in demo_flow.summary_lines(push, elapsed):
            run.say(line)

        eligible = demo_flow.eligible_sites(push)
        good, bad = demo.chaining_to_root(eligible, setup.authority.trusted_roots)
        run.say(
            f"TLS check: {len(good)} of {len(good) + len(bad)} eligible sites "
            f"serve a certificate chaining to the sandbox CA root (SNI handshake)"
        )
        for site in bad[:10]:
            run.say(f"  not serving the new chain: {site.name}")
        same, refused = demo_flow.unchanged_sites(push, before)
        run.say(
            f"refused sites still serving what they served before: {same} of {refused}"
        )

        again, _ = run.push(setup)
        to_ca = OrderStep.objects.filter(order__push=again, name="ca_check").count()
        run.say(
            f"push again: {again.orders.count()} new orders, {to_ca} sent to the "
            f"CA ({demo_flow.services.progress(again).already_done} sites done "
            f"already)"
        )
        return setup, not bad

    def serve(self, run: demo_flow.Demo, setup: demo.Setup) -> None:
        port = run.options.port
        web = Child(
            "portal",
            manage("runserver", f"127.0.0.1:{port}", "--noreload"),
            run.logs / "portal.log",
        ).start()
        run.children.append(web)
        run.start_beat()
        run.say(f"\nportal: http://127.0.0.1:{port}/   (Ctrl-C stops everything)")
        logins = [("staff", setup.staff.username, setup.password)]
        personas = demo.persona_logins(setup.vouchers)
        for role, username, password in logins + personas:
            run.say(f"  {role:9s} login {username} / {password}")
        for entry in setup.vouchers:
            if entry.get("holder"):
                run.say(
                    f"  the {entry['holder']} holds voucher {entry['code']} "
                    f"({entry['uses']} uses)"
                )
        try:
            while web.running():
                run.revive_workers()
                time.sleep(1.0)
        except KeyboardInterrupt:
            run.say("\nstopping")
            return
        raise CommandError(f"the portal stopped; see {web.log_path}")
