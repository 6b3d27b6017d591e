"""Revoke a certificate by serial number (any common spelling), after confirming."""

import sys

from apps.accounts.scoping import scope
from apps.api.cli import CertfleetCommand, UsageError, acting_user
from apps.certificates.lifecycle import revocation
from apps.certificates.lifecycle.replacement import replacement_for
from apps.certificates.models import Certificate
from apps.core import serials
from apps.core.names import InvalidName, to_ascii
from apps.fleet.models import Site


class Command(CertfleetCommand):
    help = (
        "Revoke the certificate with SERIAL (hex with spaces, colons, 0x, any case; "
        "or decimal). Cannot be undone: asks first unless --yes. "
        "Exit 0 revoked, 1 refused (code and advice), 2 unknown serial or user."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("serial")
        parser.add_argument("--site", help="Site name, when the serial is on several")
        parser.add_argument("--yes", action="store_true", help="Do not ask")
        self.add_user_argument(parser)

    def handle(self, *args, serial: str, site: str | None, yes: bool, **options):
        user = acting_user(options["user"])
        certificate = self.find(user, serial, site)
        shown = f"{certificate.serial_hex} of {certificate.site.display_name}"
        if not yes and not self.confirmed(shown):
            raise UsageError("Not confirmed; nothing was revoked.")
        revocation.revoke(
            user=user, site=certificate.site, serial_text=serial, confirm=True
        )
        self.stdout.write(f"revoked {shown}")
        offer = replacement_for(user=user, certificate=certificate)
        if offer.vouchers:
            codes = ", ".join(v.code for v in offer.vouchers[:5])
            self.stdout.write(f"vouchers that can secure the site again: {codes}")
        elif offer.purchase_url:
            self.stdout.write(f"buy a voucher to secure it again: {offer.purchase_url}")

    def find(self, user, serial: str, site_name: str | None) -> Certificate:
        try:
            keys = [serials.key(value) for value in serials.candidates(serial)]
        except serials.InvalidSerial as exc:
            raise UsageError(str(exc)) from exc
        found = scope(Certificate.objects.all(), user).filter(serial_key__in=keys)
        if site_name:
            try:
                name = to_ascii(site_name)
            except InvalidName as exc:
                raise UsageError(str(exc)) from exc
            sites = scope(Site.objects.all(), user).filter(name=name)
            found = found.filter(site__in=sites)
        found = list(found.select_related("site")[:2])
        if not found:
            raise UsageError(f"No certificate of yours has serial {serial}.")
        if len(found) > 1:
            raise UsageError("The serial is on several sites; name one with --site.")
        return found[0]

    def confirmed(self, shown: str) -> bool:
        if not sys.stdin.isatty():
            raise UsageError("Revoking cannot be undone; confirm with --yes.")
        answer = input(f"Revoke {shown}? This cannot be undone. Type 'yes': ")
        return answer.strip().lower() == "yes"
