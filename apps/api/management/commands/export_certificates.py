"""Export certificates (with their chains, optionally their keys) as PEM or zip."""

import os
import zipfile
from pathlib import Path

from apps.accounts.scoping import scope
from apps.api.cli import CertfleetCommand, UsageError, acting_user, progress_bar
from apps.audit.services import record
from apps.certificates.models import Certificate
from apps.core.names import InvalidName, to_ascii


class Command(CertfleetCommand):
    help = (
        "Export certificates as one PEM bundle or a zip with a folder per "
        "certificate (cert.pem, chain.pem, fullchain.pem, key.pem with --with-keys). "
        "Exit 0 written, 2 bad arguments or nothing matched."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--format", choices=["pem", "zip"], default="pem")
        parser.add_argument(
            "--output", default="-", help="File to write; - is standard output (pem)"
        )
        parser.add_argument("--server", help="Only this server's sites (name)")
        parser.add_argument("--site", help="Only this site (name)")
        parser.add_argument(
            "--status",
            choices=[*Certificate.Status.values, "all"],
            default=Certificate.Status.ACTIVE,
        )
        parser.add_argument(
            "--with-keys",
            action="store_true",
            help="Include private keys (audited; the file is readable by you only)",
        )
        self.add_user_argument(parser, required=False)

    def handle(self, *args, **options) -> None:
        user = acting_user(options["user"], required=False)
        certificates = self.chosen(user, options)
        if not certificates:
            raise UsageError("No certificate matches.")
        if options["format"] == "zip" and options["output"] == "-":
            raise UsageError("A zip needs a file: --output certificates.zip")
        with_keys = options["with_keys"]
        if options["format"] == "zip":
            write_zip(Path(options["output"]), certificates, with_keys)
        else:
            write_pem(options["output"], certificates, with_keys, self.stdout)
        if with_keys:
            for certificate in certificates:
                record(
                    "certificate.key_exported",
                    certificate,
                    actor=user,
                    account=certificate.site.owner,
                )
        self.stderr.write(f"exported {len(certificates)} certificates")

    def chosen(self, user, options: dict) -> list[Certificate]:
        certificates = Certificate.objects.select_related("site__owner", "site__server")
        if user is not None:
            certificates = scope(certificates, user)
        if options["status"] != "all":
            certificates = certificates.filter(status=options["status"])
        if options["server"]:
            certificates = certificates.filter(site__server__name=options["server"])
        if options["site"]:
            try:
                name = to_ascii(options["site"])
            except InvalidName as exc:
                raise UsageError(str(exc)) from exc
            certificates = certificates.filter(site__name=name)
        return list(certificates.order_by("site__name", "not_after", "pk"))


def fullchain(certificate: Certificate) -> str:
    parts = [certificate.cert_pem.strip(), certificate.chain_pem.strip()]
    return "\n".join(part for part in parts if part) + "\n"


def write_pem(
    output: str, certificates: list[Certificate], with_keys: bool, stdout
) -> None:
    handle = stdout if output == "-" else _private_file(Path(output), with_keys)
    try:
        with progress_bar("export", len(certificates)) as bar:
            for certificate in certificates:
                handle.write(f"# {certificate.site.name} {certificate.serial_hex}\n")
                handle.write(fullchain(certificate))
                if with_keys:
                    handle.write(certificate.key_pem.strip() + "\n")
                bar.update(1)
    finally:
        if handle is not stdout:
            handle.close()


def write_zip(path: Path, certificates: list[Certificate], with_keys: bool) -> None:
    with (
        _private_file(path, with_keys, binary=True) as raw,
        zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive,
        progress_bar("export", len(certificates)) as bar,
    ):
        for certificate in certificates:
            folder = f"{certificate.site.name}-{certificate.serial_hex}"
            archive.writestr(f"{folder}/cert.pem", certificate.cert_pem)
            archive.writestr(f"{folder}/chain.pem", certificate.chain_pem)
            archive.writestr(f"{folder}/fullchain.pem", fullchain(certificate))
            if with_keys:
                archive.writestr(f"{folder}/key.pem", certificate.key_pem)
            bar.update(1)


def _private_file(path: Path, with_keys: bool, binary: bool = False):
    """Open for writing; a file holding keys is readable by its owner only."""
    mode = 0o600 if with_keys else 0o644
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    if with_keys:
        os.fchmod(fd, 0o600)
    return os.fdopen(fd, "wb" if binary else "w")
