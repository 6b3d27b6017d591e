"""Import vouchers from a CSV file: every line checked, nothing half-imported."""

from apps.accounts.models import Account
from apps.api.cli import CertfleetCommand, Failed, UsageError, acting_user, read_text
from apps.vouchers import services as vouchers


class Command(CertfleetCommand):
    help = (
        "Import vouchers from CSV (columns: code, kind, expires, and optionally days, "
        "uses, networks, platform, name, san, wildcard, reissues_per_day, note). "
        "Exit 0 imported, 1 refused (per-line report), 2 unreadable file or user."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("csv", help="The CSV file, or - for standard input")
        parser.add_argument(
            "--owner", type=int, help="Account id the vouchers belong to"
        )
        self.add_user_argument(parser)

    def handle(self, *args, csv: str, owner: int | None, **options) -> None:
        user = acting_user(options["user"])
        text = read_text(csv)
        account = None
        if owner is not None:
            account = Account.objects.filter(pk=owner).first()
            if account is None:
                raise UsageError(f"There is no account {owner}.")
        report = vouchers.import_csv(text, owner=account, user=user)
        for line in report.lines:
            mark = "ok  " if line.ok else "FAIL"
            note = f"  {line.error}" if line.error else ""
            self.stdout.write(f"line {line.line:>5} {mark} {line.code}{note}")
        if not (report.ok and report.imported):
            failed = len(report.failed)
            raise Failed(
                f"{failed} of {len(report.lines)} lines refused; none imported."
            )
        self.stdout.write(f"imported {report.imported} vouchers")
