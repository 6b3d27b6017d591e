"""Sync Plesk servers now: accounts, subscriptions, sites, bindings."""

from django.db.models import Q

from apps.api.cli import CertfleetCommand, Failed, MovingBar, UsageError, acting_user
from apps.ca.errors import CertfleetError
from apps.fleet import services as fleet
from apps.fleet.models import PleskServer


class Command(CertfleetCommand):
    help = (
        "Read one or more Plesk servers now and write what changed. "
        "Exit 0 all synced, 1 a sync failed, 2 unknown server."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("servers", nargs="*", help="Server names or ids")
        parser.add_argument("--all", action="store_true", help="Every enabled server")
        self.add_user_argument(parser, required=False)

    def handle(self, *args, servers: list[str], all: bool, **options) -> None:
        user = acting_user(options["user"], required=False)
        chosen = self.chosen(servers, all)
        failures = 0
        for server in chosen:
            bar = MovingBar(f"sync {server.name}")
            try:
                report = fleet.sync_server(server, progress=bar, user=user)
            except CertfleetError as exc:
                failures += 1
                self.stderr.write(f"{server.name}: {exc.code}: {exc.info.message}")
                self.stderr.write(f"  what to do: {exc.info.advice}")
                continue
            finally:
                bar.close()
            status = "already syncing, skipped" if report.skipped else report.summary()
            self.stdout.write(f"{server.name}: {status}")
            for problem in report.problems:
                self.stdout.write(f"  skipped: {problem}")
        if failures:
            raise Failed(f"{failures} of {len(chosen)} servers failed to sync.")

    def chosen(self, names: list[str], every: bool) -> list[PleskServer]:
        if every == bool(names):
            raise UsageError("Name the servers to sync, or say --all.")
        if every:
            return list(PleskServer.objects.filter(enabled=True).order_by("name"))
        found = []
        for name in names:
            match = Q(name=name) | (Q(pk=int(name)) if name.isdigit() else Q())
            server = PleskServer.objects.filter(match).first()
            if server is None:
                raise UsageError(f"There is no server {name!r}.")
            found.append(server)
        return found
