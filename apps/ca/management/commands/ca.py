"""`manage.py ca add|list`: point the portal at a certificate authority.

    manage.py ca add "GlobalSign" --backend voucher \
        --endpoint https://system.globalsign.com/vc/ws/OneClickOrder?wsdl \
        --trusted-roots roots.pem --platform-id 642889112500002 --default

Secrets (account password, EAB HMAC key) are read from the environment variables
named by --secret-env / --eab-hmac-env, never from the command line.
"""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.audit.services import record
from apps.ca.models import CertificateAuthority


def _read(path: str | None) -> str:
    if not path:
        return ""
    try:
        return Path(path).read_text()
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror}") from exc


def _env(name: str | None) -> str:
    if not name:
        return ""
    if name not in os.environ:
        raise CommandError(f"environment variable {name} is not set")
    return os.environ[name]


class Command(BaseCommand):
    help = "Add or list the certificate authorities orders go to."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="show the configured authorities")
        add = sub.add_parser("add", help="add or update an authority by name")
        add.add_argument("name")
        add.add_argument("--backend", choices=["voucher", "acme"], required=True)
        add.add_argument("--endpoint", required=True, help="WSDL or ACME directory")
        add.add_argument("--ca-bundle", help="PEM file trusted for the endpoint's TLS")
        add.add_argument("--trusted-roots", help="PEM roots issued chains must reach")
        add.add_argument("--platform-id", default="")
        add.add_argument("--login", default="")
        add.add_argument("--secret-env", help="variable holding the account secret")
        add.add_argument("--eab-kid", default="")
        add.add_argument("--eab-hmac-env", help="variable holding the EAB HMAC key")
        add.add_argument("--default", action="store_true", help="use for new orders")

    def handle(self, *args, **opts):
        if opts["action"] == "list":
            for ca in CertificateAuthority.objects.order_by("pk"):
                mark = "*" if ca.is_default else " "
                self.stdout.write(
                    f"{mark} {ca.pk:3d} {ca.backend:8s} {ca.name}: {ca.endpoint}"
                )
            return
        self.add(opts)

    @transaction.atomic
    def add(self, opts) -> None:
        roots = _read(opts["trusted_roots"])
        if opts["backend"] == "voucher" and "BEGIN CERTIFICATE" not in roots:
            raise CommandError(
                "--trusted-roots must name a PEM file with the CA's roots"
            )
        values = {
            "backend": opts["backend"],
            "endpoint": opts["endpoint"],
            "ca_bundle": _read(opts["ca_bundle"]),
            "trusted_roots": roots,
            "platform_id": opts["platform_id"],
            "account_login": opts["login"],
            "account_secret": _env(opts["secret_env"]),
            "eab_kid": opts["eab_kid"],
            "eab_hmac": _env(opts["eab_hmac_env"]),
            "is_default": opts["default"],
        }
        if opts["default"]:
            CertificateAuthority.objects.update(is_default=False)
        ca, created = CertificateAuthority.objects.update_or_create(
            name=opts["name"], defaults=values
        )
        record("ca.added" if created else "ca.changed", ca, endpoint=ca.endpoint)
        self.stdout.write(f"{'added' if created else 'updated'} {ca.name} ({ca.pk})")
