"""Start a bulk push from a CSV of site names or a filter; optionally wait."""

import csv
import io

from rest_framework.exceptions import ValidationError

from apps.api import targets, watch
from apps.api.cli import (
    CertfleetCommand,
    Failed,
    UsageError,
    acting_user,
    explain,
    read_text,
)
from apps.bulk import services as bulk
from apps.ca import errors
from apps.ca.errors import CertfleetError
from apps.fleet.models import PleskServer
from apps.vouchers import networks

HEADER_WORDS = {"name", "site", "domain", "names", "sites", "domains"}


class Command(CertfleetCommand):
    help = (
        "Push a voucher onto many sites: named in a CSV (first column) or chosen by "
        "filter. Exit 0 started (with --wait: every site secured), 1 refused or "
        "(with --wait) sites failed, held or still running at --timeout, 2 bad input."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--voucher", required=True, help="Voucher code")
        parser.add_argument("--email", default="", help="Contact email (required)")
        parser.add_argument("--csv", help="CSV whose first column names the sites")
        parser.add_argument("--all", action="store_true", help="Every active site")
        parser.add_argument("--server", help="Only this server (name or id)")
        parser.add_argument("--reseller", type=int, help="Only this reseller's tree")
        parser.add_argument("--customer", type=int, help="Only this customer")
        parser.add_argument("--ip-range", help="Only sites in 10.0.0.0/8 or a-b")
        parser.add_argument("--not-secured", action="store_true")
        parser.add_argument("--expiring-days", type=int, metavar="N")
        parser.add_argument(
            "--dry-run", action="store_true", help="Only show per site pass or why not"
        )
        parser.add_argument("--wait", action="store_true", help="Wait for the end")
        parser.add_argument("--timeout", type=float, default=3600, metavar="SECONDS")
        self.add_user_argument(parser)

    def handle(self, *args, **options) -> None:
        user = acting_user(options["user"])
        names, filters = self.target(options)
        if not options["dry_run"] and not options["email"]:
            raise UsageError("Give a contact email: --email ops@example.com")
        try:
            voucher, sites, target, email = targets.resolve(
                user,
                options["voucher"],
                names=names,
                filters=filters,
                contact_email=options["email"],
            )
        except ValidationError as exc:
            raise UsageError(_flatten(exc.detail)) from exc
        except CertfleetError as exc:
            if exc.code != errors.NO_SITE_MATCHED:
                raise
            raise UsageError(str(explain(exc))) from exc
        if options["dry_run"]:
            return self.dry_run(voucher, sites)
        push = bulk.create_push(
            user=user, voucher=voucher, sites=sites, contact_email=email, target=target
        )
        self.stdout.write(f"push {push.pk} started on {len(sites)} sites")
        if options["wait"]:
            self.follow(push, options["timeout"])

    def target(self, options: dict) -> tuple[list[str] | None, dict | None]:
        filters = {
            "server": self.server_id(options["server"]),
            "reseller": options["reseller"],
            "customer": options["customer"],
            "ip_range": options["ip_range"],
            "not_secured": options["not_secured"] or None,
            "expiring_days": options["expiring_days"],
        }
        filters = {key: value for key, value in filters.items() if value is not None}
        if options["csv"]:
            if filters or options["all"]:
                raise UsageError("Use --csv or filters (or --all), not both.")
            return names_in(read_text(options["csv"])), None
        if not filters and not options["all"]:
            raise UsageError("Choose sites: --csv FILE, filters, or --all.")
        if "ip_range" in filters:
            try:
                networks.parse(filters["ip_range"])
            except networks.NetworkError as exc:
                raise UsageError(str(exc)) from exc
        return None, filters

    def server_id(self, name: str | None) -> int | None:
        if not name:
            return None
        server = PleskServer.objects.filter(name=name).first()
        if server is None and name.isdigit():
            server = PleskServer.objects.filter(pk=int(name)).first()
        if server is None:
            raise UsageError(f"There is no server {name!r}.")
        return server.pk

    def dry_run(self, voucher, sites) -> None:
        rows = bulk.dry_run(voucher=voucher, sites=sites)
        for row in rows:
            reasons = "; ".join(f"{p.code} {p.info.message}" for p in row.problems)
            self.stdout.write(
                f"{'ok  ' if row.ok else 'FAIL'} {row.site.name} {reasons}"
            )
        failing = sum(1 for row in rows if not row.ok)
        self.stdout.write(f"{len(rows) - failing} of {len(rows)} sites would pass")
        if failing:
            raise Failed(f"{failing} sites would fail the local checks.")

    def follow(self, push, timeout: float) -> None:
        state = watch.wait(push, timeout=timeout)
        for line in watch.summary(push, state):
            self.stdout.write(line)
        if not state.complete:
            raise Failed(f"push {push.pk} still running after {timeout:g}s")
        if not watch.succeeded(state):
            raise Failed(f"push {push.pk}: {state.failed + state.held} sites not done")


def names_in(text: str) -> list[str]:
    """Site names from the first column; blank lines, '#' comments and a header
    row are skipped."""
    names = []
    for row in csv.reader(io.StringIO(text)):
        first = row[0].strip() if row else ""
        if not first or first.startswith("#"):
            continue
        if not names and first.lower() in HEADER_WORDS:
            continue
        names.append(first)
    if not names:
        raise UsageError("The CSV names no sites.")
    return names


def _flatten(detail) -> str:
    if isinstance(detail, dict):
        return "; ".join(f"{key}: {_flatten(value)}" for key, value in detail.items())
    if isinstance(detail, list):
        return " ".join(_flatten(item) for item in detail)
    return str(detail)
