"""The voucher inventory: import from CSV, pass down the tree, cancel.

Import is all or nothing: every line is checked first and reported; only when all
lines pass are the vouchers written, in one transaction.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO

from django.db import IntegrityError, transaction

from apps.accounts import scoping
from apps.accounts.models import Account, User
from apps.audit.services import record
from apps.ca import errors
from apps.ca.errors import CertfleetError
from apps.core import clock
from apps.vouchers import codes, csvformat
from apps.vouchers.models import Voucher

logger = logging.getLogger(__name__)


@dataclass
class ImportLine:
    line: int
    ok: bool
    code: str = ""
    error: str = ""


@dataclass
class ImportReport:
    lines: list[ImportLine] = field(default_factory=list)
    imported: int = 0

    @property
    def ok(self) -> bool:
        return bool(self.lines) and all(line.ok for line in self.lines)

    @property
    def failed(self) -> list[ImportLine]:
        return [line for line in self.lines if not line.ok]

    @property
    def created(self) -> int:
        return self.imported


def import_csv(
    fileobj: IO | str | bytes | None = None,
    *,
    owner: Account | None = None,
    actor: User | None = None,
    user: User | None = None,
) -> ImportReport:
    """Read vouchers from CSV for `owner`; per-line report; nothing half-imported.

    `fileobj`: a text or binary file, or the CSV text. `owner` defaults to the
    actor's account (provider staff). `user` is accepted for `actor`.
    Columns (header required, any order): code, kind, expires, and optionally
    days, uses, networks, platform, name, san, wildcard, reissues_per_day, note.
    See apps/vouchers/csvformat.py for what each accepts.
    """
    actor = actor or user
    owner = owner or _own_account(actor)
    _require_staff(actor, owner)
    rows, header_error = csvformat.read(fileobj)
    if header_error:
        return ImportReport([ImportLine(1, False, error=header_error)])
    report = ImportReport()
    vouchers = []
    first_line_of: dict[str, int] = {}
    taken = _existing_codes(row.get("code", "") for _, row in rows)
    for number, row in rows:
        voucher, problems = csvformat.voucher_from_row(row, owner)
        code = voucher.code if voucher else ""
        if code in first_line_of:
            problems.append(f"same code as line {first_line_of[code]}")
        elif code in taken:
            problems.append("a voucher with this code exists already")
        if code:
            first_line_of.setdefault(code, number)
        report.lines.append(ImportLine(number, not problems, code, "; ".join(problems)))
        vouchers.append(voucher)
    if not report.ok:
        return report
    return _write(vouchers, report, actor)


def _own_account(actor: User) -> Account:
    if getattr(actor, "account_id", None):
        return actor.account
    root = Account.objects.filter(kind=Account.Kind.PROVIDER, parent=None).first()
    if root is None:
        raise CertfleetError(errors.VOUCHER_NOT_YOURS, "no provider account")
    return root


def _require_staff(actor: User, owner: Account) -> None:
    staff = getattr(actor, "is_provider_staff", False) or getattr(
        actor, "is_superuser", False
    )
    visible = scoping.scope(Account.objects.filter(pk=owner.pk), actor).exists()
    if not (staff and visible):
        raise CertfleetError(
            errors.VOUCHER_NOT_YOURS, "only provider staff import vouchers"
        )


def _existing_codes(typed: Iterable[str]) -> set[str]:
    wanted = {codes.normalize(text) for text in typed}
    return set(Voucher.objects.filter(code__in=wanted).values_list("code", flat=True))


def _write(vouchers: list[Voucher], report: ImportReport, actor: User) -> ImportReport:
    try:
        with transaction.atomic():
            for voucher in vouchers:
                voucher.save()
                record("voucher.imported", voucher, actor=actor, kind=voucher.kind)
    except IntegrityError:
        # A code imported by someone else between our check and our write.
        for line in report.lines:
            line.ok = False
            line.error = (
                "not imported: another import wrote one of these codes meanwhile; "
                "run it again to see which"
            )
        return report
    report.imported = len(vouchers)
    logger.info(
        "imported %s vouchers for account %s", len(vouchers), vouchers[0].owner_id
    )
    return report


def assign(
    voucher: Voucher,
    account: Account,
    *,
    actor: User | None = None,
    user: User | None = None,
) -> Voucher:
    """Pass a voucher down the tree (provider -> reseller -> customer)."""
    actor = actor or user
    if not scoping.scope(Voucher.objects.filter(pk=voucher.pk), actor).exists():
        raise CertfleetError(errors.VOUCHER_NOT_YOURS, voucher.code)
    if not scoping.scope(Account.objects.filter(pk=account.pk), actor).exists():
        raise CertfleetError(errors.VOUCHER_NOT_YOURS, f"{account} is not yours")
    current = Account.objects.get(pk=voucher.owner_id)
    if account.pk == current.pk or not account.path.startswith(current.path):
        raise CertfleetError(
            errors.VOUCHER_NOT_YOURS,
            f"vouchers pass only down the tree, from {current} to its resellers "
            f"or customers",
        )
    if voucher.status == Voucher.Status.CANCELLED:
        raise CertfleetError(errors.VOUCHER_CANCELLED, voucher.code)
    moved = Voucher.objects.filter(pk=voucher.pk, owner=current).update(owner=account)
    if moved != 1:
        raise CertfleetError(errors.VOUCHER_NOT_YOURS, "the voucher moved meanwhile")
    voucher.owner = account
    record(
        "voucher.assigned",
        voucher,
        actor=actor,
        account=account,
        previous_owner=current.pk,
        owner=account.pk,
    )
    logger.info("voucher %s assigned from %s to %s", voucher.pk, current.pk, account.pk)
    return voucher


def cancel(
    voucher: Voucher, *, actor: User | None = None, user: User | None = None
) -> Voucher:
    """Cancel a voucher (provider staff only); uses already spent stay spent."""
    actor = actor or user
    if not getattr(actor, "is_provider_staff", False) and not getattr(
        actor, "is_superuser", False
    ):
        raise CertfleetError(
            errors.VOUCHER_NOT_YOURS, "only provider staff cancel vouchers"
        )
    now = clock.now()
    changed = Voucher.objects.filter(pk=voucher.pk, cancelled_at__isnull=True).update(
        status=Voucher.Status.CANCELLED, cancelled_at=now
    )
    voucher.refresh_from_db()
    if changed:
        record("voucher.cancelled", voucher, actor=actor, uses_left=voucher.uses_left)
        logger.info("voucher %s cancelled", voucher.pk)
    return voucher
