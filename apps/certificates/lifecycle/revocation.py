"""Revocation by serial number, confirmed, through the CA that issued the certificate.

The voucher CA first wants proof of control, as for an order: a revoke-mode voucher
check with the serial as the voucher, a new key, a temporary certificate installed
and bound on the site (the CA sees it served), then GSOneClickRevoke; afterwards the
site is bound to what it served before and the temporary certificate removed. Each
step is recorded on a Revocation row before it runs, so an interrupted attempt can
still be undone (`restore_abandoned`).
"""

import datetime as dt
import logging

from django.db import transaction

from apps.accounts.scoping import scope
from apps.audit.services import record as audit
from apps.ca import errors
from apps.ca.errors import CertfleetError
from apps.ca.models import CertificateAuthority
from apps.certificates.lifecycle import control
from apps.certificates.lifecycle.models import Revocation
from apps.certificates.models import Certificate, Order
from apps.core import clock, serials
from apps.fleet.models import Site

logger = logging.getLogger(__name__)

ABANDONED_AFTER = dt.timedelta(minutes=15)


def find_certificate(*, user, site: Site, serial_text: str) -> Certificate:
    """The site's certificate with this serial, typed in any common spelling (hex
    with spaces, colons, 0x, any case; or decimal). Another tenant's site is absent."""
    site = scope(Site.objects.filter(pk=site.pk), user).get()
    try:
        values = serials.candidates(serial_text)
    except serials.InvalidSerial as exc:
        raise CertfleetError(errors.SERIAL_INVALID, serial_text.strip()) from exc
    by_key = {c.serial_key: c for c in Certificate.objects.filter(site=site)}
    for value in values:
        if serials.key(value) in by_key:
            return by_key[serials.key(value)]
    raise CertfleetError(errors.SERIAL_NOT_ON_SITE, f"{serial_text.strip()} on {site}")


def revoke(*, user, site: Site, serial_text: str, confirm: bool) -> Certificate:
    """Revoke the site's certificate with this serial. Nothing happens without
    `confirm=True`; CA refusals (-9007, -9008, -6029, ...) raise CertfleetError
    with the catalogue's message and advice. -6029 also marks the certificate
    revoked, since the CA says it is."""
    certificate = find_certificate(user=user, site=site, serial_text=serial_text)
    if not confirm:
        raise CertfleetError(
            errors.CONFIRMATION_REQUIRED, f"revoke {certificate.serial_hex}"
        )
    if certificate.status == Certificate.Status.REVOKED:
        raise CertfleetError(errors.ALREADY_REVOKED, certificate.serial_hex)
    authority = authority_of(certificate)
    if authority is None or authority.backend != CertificateAuthority.Backend.VOUCHER:
        # TODO: revoke through ACME (RFC 8555 revokeCert) once the ACME backend has it
        raise CertfleetError(errors.REVOKE_UNSUPPORTED, str(authority or "none"))

    attempt = claim(certificate, user)
    try:
        _prove_and_revoke(attempt, authority)
    except CertfleetError as exc:
        _restore_quietly(attempt)
        _end(attempt, Revocation.State.FAILED, exc)
        if exc.code == errors.ALREADY_REVOKED:
            _mark_revoked(certificate, user, attempt)
        raise
    _end(attempt, Revocation.State.DONE)
    _mark_revoked(certificate, user, attempt)
    # Revoked either way; a failed restore raises ROLLBACK_FAILED with what to undo.
    control.restore(attempt)
    return certificate


def claim(certificate: Certificate, user) -> Revocation:
    """Record the attempt, first in line for the site: under a lock on the site's
    row, a certificate revoked meanwhile is -6029 and a revocation still running
    on the site (a temporary certificate of its own is bound there) is 7006;
    either way the site is not touched."""
    with transaction.atomic():
        Site.objects.select_for_update().filter(pk=certificate.site_id).first()
        certificate.refresh_from_db(fields=["status", "revoked_at"])
        if certificate.status == Certificate.Status.REVOKED:
            raise CertfleetError(errors.ALREADY_REVOKED, certificate.serial_hex)
        running = Revocation.objects.filter(
            certificate__site_id=certificate.site_id, state=Revocation.State.RUNNING
        ).first()
        if running is not None:
            raise CertfleetError(
                errors.ORDER_IN_PROGRESS,
                f"revocation {running.pk} of certificate {running.certificate_id} "
                f"is still running on {certificate.site.name}",
            )
        return Revocation.objects.create(
            certificate=certificate, requested_by=user, started_at=clock.now()
        )


def authority_of(certificate: Certificate) -> CertificateAuthority | None:
    order = Order.objects.filter(certificate=certificate).select_related("authority")
    found = order.first()
    if found is not None and found.authority is not None:
        return found.authority
    from apps.certificates.services.orders import default_authority

    return default_authority()


def _prove_and_revoke(attempt: Revocation, authority: CertificateAuthority) -> None:
    from apps.ca.backends.voucher import VoucherBackend

    certificate = attempt.certificate
    backend = VoucherBackend(authority)
    proof = control.open_proof(attempt, backend)
    control.show_temporary(attempt, backend, proof)
    _step(attempt, "revoking")
    backend.revoke(attempt.ca_order_id)
    _step(attempt, "revoked")
    logger.info(
        "certificate %s of site %s revoked at the CA (order %s)",
        certificate.serial_hex,
        certificate.site.name,
        attempt.ca_order_id,
    )


def _restore_quietly(attempt: Revocation) -> None:
    # The CA's answer is what the person needs to see; a failed restore is logged.
    try:
        control.restore(attempt)
    except CertfleetError:
        logger.exception("revocation %s: could not restore the binding", attempt.pk)


def _step(attempt: Revocation, step: str, **fields) -> None:
    attempt.step = step
    for name, value in fields.items():
        setattr(attempt, name, value)
    attempt.save(update_fields=["step", *fields])


def _end(attempt: Revocation, state: str, exc: CertfleetError | None = None) -> None:
    attempt.state = state
    attempt.finished_at = clock.now()
    if exc is not None:
        attempt.error_code = exc.code
        attempt.error_message = str(exc)
    attempt.save(update_fields=["state", "finished_at", "error_code", "error_message"])


def _mark_revoked(certificate: Certificate, user, attempt: Revocation) -> None:
    from apps.certificates.lifecycle.notifications import notify

    with transaction.atomic():
        certificate.status = Certificate.Status.REVOKED
        certificate.revoked_at = clock.now()
        certificate.save(update_fields=["status", "revoked_at"])
        audit(
            "certificate.revoked",
            certificate,
            actor=user,
            account=certificate.site.owner,
            site=certificate.site.name,
            serial=certificate.serial_hex,
            revocation=attempt.pk,
        )
        notify("revoked", certificate)


def restore_abandoned(now: dt.datetime | None = None) -> int:
    """Put back the binding of sites whose revocation stopped halfway (a crash)."""
    now = now or clock.now()
    stuck = Revocation.objects.filter(
        state=Revocation.State.RUNNING, started_at__lte=now - ABANDONED_AFTER
    ).select_related("certificate__site__server")
    for attempt in stuck:
        reached = attempt.step
        try:
            control.restore(attempt)
        except CertfleetError as exc:
            logger.error("revocation %s: restore failed: %s", attempt.pk, exc)
            continue
        if reached == "revoked":
            _end(attempt, Revocation.State.DONE)
            _mark_revoked(attempt.certificate, attempt.requested_by, attempt)
            continue
        # After "revoking" the CA may or may not have revoked: asking again is safe,
        # it answers -6029 if it did.
        detail = "stopped while the CA was revoking" if reached == "revoking" else ""
        _end(attempt, Revocation.State.FAILED, CertfleetError(errors.INTERNAL, detail))
    return len(stuck)
