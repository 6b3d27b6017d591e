"""Show how far a bulk push is; optionally wait until it ends."""

import json

from apps.api import watch
from apps.api.cli import CertfleetCommand, Failed, UsageError
from apps.bulk import services as bulk
from apps.bulk.models import Push


class Command(CertfleetCommand):
    help = (
        "Show a push's progress: done, failed by code with advice, waiting. "
        "Exit 0 finished with every site done (or still running, without --wait), "
        "1 sites failed or held, or --wait passed --timeout; 2 unknown push."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("push", type=int, help="Push id")
        parser.add_argument("--wait", action="store_true", help="Wait for the end")
        parser.add_argument("--timeout", type=float, default=3600, metavar="SECONDS")
        parser.add_argument("--interval", type=float, default=1.0, metavar="SECONDS")
        parser.add_argument("--json", action="store_true", help="One JSON object")

    def handle(self, *args, push: int, **options) -> None:
        found = Push.objects.filter(pk=push).select_related("voucher").first()
        if found is None:
            raise UsageError(f"There is no push {push}.")
        if options["wait"]:
            state = watch.wait(
                found, timeout=options["timeout"], interval=options["interval"]
            )
        else:
            state = bulk.progress(found)
        if options["json"]:
            self.stdout.write(json.dumps(watch.as_dict(found, state)))
        else:
            for line in watch.summary(found, state):
                self.stdout.write(line)
        if not state.complete:
            if options["wait"]:
                raise Failed(f"push {push} still running after {options['timeout']:g}s")
            return
        if not watch.succeeded(state):
            raise Failed(f"push {push}: {state.failed + state.held} sites not done")
