"""Proof of control for a revocation at the voucher CA: the same dance as an order
(revoke-mode check, new key, temporary certificate bound on the site), and the
undoing of it. Every step lands on the Revocation row before the next runs."""

import logging
from dataclasses import dataclass

from apps.ca import errors
from apps.ca.errors import CertfleetError
from apps.certificates.lifecycle.coverage import names_of
from apps.certificates.lifecycle.models import Revocation
from apps.certificates.services import keys

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Proof:
    name: str
    key_pem: str
    csr_pem: str


def _save(attempt: Revocation, step: str, **fields) -> None:
    attempt.step = step
    for name, value in fields.items():
        setattr(attempt, name, value)
    attempt.save(update_fields=["step", *fields])


def _client(attempt: Revocation):
    from apps.fleet.plesk import PleskClient

    return PleskClient.for_server(attempt.certificate.site.server)


def open_proof(attempt: Revocation, backend) -> Proof:
    """Revoke-mode voucher check (the serial as the voucher) and a fresh key."""
    certificate = attempt.certificate
    site = certificate.site
    names = names_of(certificate)
    name = site.name if site.name in names else names[0]
    key = keys.new_key()
    check = backend.check(
        voucher_code=certificate.serial_hex,
        name=name,
        email=site.owner.email,
        port=site.server.https_port,
        key_algorithm=keys.key_algorithm(key),
        revoke=True,
    )
    if not keys.fits(key, check.key_length):
        key = keys.new_key(rsa_bits=check.key_length)
    _save(attempt, "checked", ca_order_id=check.order_id)
    return Proof(name, keys.key_pem(key), keys.csr_pem(key, [name]))


def show_temporary(attempt: Revocation, backend, proof: Proof) -> None:
    """Snapshot the binding, get the temporary certificate, install and bind it."""
    site = attempt.certificate.site
    client = _client(attempt)
    binding = client.hosting_binding(site)
    _save(
        attempt,
        "snapshot",
        snapshot={
            "ssl": bool(binding.ssl),
            "certificate_name": binding.certificate_name,
        },
    )
    issued = backend.order_test(attempt.ca_order_id, proof.csr_pem)
    _save(
        attempt,
        "temporary",
        ca_order_id=str(issued.order_id),
        temp_certificate_name=f"certfleet-revoke-{attempt.pk}",
    )
    client.install_certificate(
        site,
        attempt.temp_certificate_name,
        proof.key_pem,
        issued.cert_pem,
        "".join(issued.chain_pems),
        csr_pem=proof.csr_pem,
    )
    client.bind_certificate(site, attempt.temp_certificate_name)
    _save(attempt, "bound")


def restore(attempt: Revocation) -> None:
    """Bind the site to what it served before and remove the temporary certificate;
    nothing to do when nothing was added."""
    from apps.fleet.plesk import Binding

    name = attempt.temp_certificate_name
    if not name or attempt.snapshot is None:
        return
    site = attempt.certificate.site
    client = _client(attempt)
    try:
        client.restore_binding(
            site,
            Binding(
                ssl=attempt.snapshot.get("ssl", False),
                certificate_name=attempt.snapshot.get("certificate_name", ""),
            ),
        )
        _remove(client, site, name)
    except CertfleetError as exc:
        before = attempt.snapshot.get("certificate_name") or "no certificate"
        detail = f"left {name} on site {site.name}; bind {before} by hand"
        logger.error("revocation %s: %s (%s)", attempt.pk, detail, exc)
        raise CertfleetError(errors.ROLLBACK_FAILED, detail, exc.raw) from exc
    _save(attempt, "restored", temp_certificate_name="")


def _remove(client, site, name: str) -> None:
    try:
        client.remove_certificate(site, name)
    except CertfleetError as exc:
        if exc.code != errors.PLESK_NOT_FOUND:
            raise
