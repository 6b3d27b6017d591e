"""The steps of the pipeline. Each takes the run and its log line, changes the
order's fields, and raises CertfleetError to stop; the pipeline saves the order."""

import logging

from apps.ca import errors
from apps.ca.errors import CertfleetError
from apps.certificates.models import Order
from apps.certificates.services import chain, checks, dnscheck, keys, plesk_steps
from apps.certificates.services import record as recording
from apps.certificates.services import verify as verifying
from apps.core import clock

logger = logging.getLogger(__name__)


def _client(run):
    if "plesk" not in run.cache:
        run.cache["plesk"] = plesk_steps.client_for(run.order)
    return run.cache["plesk"]


def _backend(run):
    from apps.ca.backends.voucher import VoucherBackend

    if "ca" not in run.cache:
        if run.order.authority is None:
            raise CertfleetError(
                errors.CA_REFUSED, "no certificate authority is set up"
            )
        run.cache["ca"] = VoucherBackend(run.order.authority)
    return run.cache["ca"]


def local(run, log) -> None:
    order = run.order
    name = checks.site_checks(order.site)
    # Further names asked for when the order was made stay on it.
    order.names = [name, *(n for n in order.names[1:] if n != name)]
    if order.voucher_id:
        checks.voucher_checks(
            order.voucher,
            order.site,
            order.names,
            user=order.requested_by,
            holding=True,
        )
    log.note(f"{', '.join(order.names)}: local checks passed")


def dns(run, log) -> None:
    order = run.order
    found, line = dnscheck.check_names(order.names[0], order.site.ip_addresses)
    asked = [n for n in order.names[1:] if n not in found]
    order.names = found + asked
    log.note(line + (f"; asked for {', '.join(asked)}" if asked else ""))


def key(run, log) -> None:
    order = run.order
    order.key_pem, order.csr_pem = keys.make(order.names)
    log.note(f"key {keys.key_algorithm(keys.load_key(order.key_pem))}")


def snapshot(run, log) -> None:
    client = _client(run)
    run.order.snapshot = plesk_steps.snapshot(client, run.order)
    log.raw(plesk_steps.exchange(client))
    log.note(f"bound now: {run.order.snapshot.get('certificate_name') or 'nothing'}")


def ca_check(run, log) -> None:
    order = run.order
    key = keys.load_key(order.key_pem)
    result = _backend(run).check(
        voucher_code=order.voucher.ca_code if order.voucher_id else "",
        name=order.names[0],
        email=recording.contact_of(order),
        port=order.site.server.https_port,
        key_algorithm=keys.key_algorithm(key),
    )
    log.raw(result.raw)
    order.ca_order_id = str(result.order_id)
    order.temp_cert_pem = ""  # a new CA order: any earlier test certificate is void
    if not keys.fits(key, result.key_length):
        order.key_pem, order.csr_pem = keys.make(order.names, result.key_length)
        log.note(f"the CA asked for RSA {result.key_length}: new key and CSR")
    warning = result.warning
    if warning is not None and getattr(warning, "code", None) == errors.HIGH_RISK_NAME:
        hold(order, warning)
        log.note("held by the CA for manual review; not ordered further")
    log.note(f"CA order {order.ca_order_id}")


def hold(order: Order, warning: CertfleetError) -> None:
    """The CA holds the order for review: its use stays reserved, nothing more is
    ordered, and the site keeps what it serves (nothing was added yet)."""
    from apps.certificates.services import orders
    from apps.vouchers import services as vouchers

    order.save()
    if order.voucher_id:
        vouchers.hold(order)
    orders.finish(order, Order.State.HELD, warning)


def temp_install(run, log) -> None:
    order = run.order
    if order.temp_cert_pem:
        # This CA order already has its test certificate (a worker died before the
        # step was logged, or the real order's outcome is unknown): serve it again;
        # the CA refuses a second test order under the test order's id.
        cert_pem, chain_pem = chain.split_leaf(order.temp_cert_pem)
        log.note(
            f"the same temporary certificate again for CA order {order.ca_order_id}"
        )
    else:
        issued = _backend(run).order_test(order.ca_order_id, order.csr_pem)
        log.raw(issued.raw)
        cert_pem, chain_pem = issued.cert_pem, "".join(issued.chain_pems)
        order.ca_order_id = str(issued.order_id)
        order.temp_cert_pem = cert_pem + chain_pem
    order.temp_certificate_name = f"certfleet-temporary-{order.pk}"
    order.save(update_fields=["ca_order_id", "temp_cert_pem", "temp_certificate_name"])
    client = _client(run)
    try:
        plesk_steps.install_and_bind(
            client, order, order.temp_certificate_name, cert_pem, chain_pem
        )
    finally:
        log.raw(plesk_steps.exchange(client))
    log.note(f"temporary certificate {order.temp_certificate_name} bound")


def real_order(run, log) -> None:
    """Ask for the real certificate. The intent is saved first: if the answer never
    comes, the CA may still have issued, so a retry asks again with the same CA
    order and CSR (the CA answers with what it issued) instead of ordering anew."""
    order = run.order
    again = order.real_order_asked_at is not None
    order.real_order_asked_at = clock.now()
    order.save(update_fields=["real_order_asked_at"])
    if again:
        log.note(f"asking again for CA order {order.ca_order_id} with the same CSR")
    try:
        issued = _backend(run).order_real(order.ca_order_id, order.csr_pem)
    except CertfleetError as exc:
        if exc.code < 0:
            # The CA's own refusal: it answered and issued nothing.
            order.real_order_asked_at = None
            order.save(update_fields=["real_order_asked_at"])
        raise
    log.raw(issued.raw)
    order.issued_cert_pem = issued.cert_pem
    order.issued_chain_pem = "".join(issued.chain_pems)
    log.note("the CA issued the certificate")


def validate(run, log) -> None:
    order = run.order
    path = chain.check_issued(
        order.issued_cert_pem,
        order.issued_chain_pem,
        order.key_pem,
        order.names,
        order.authority.trusted_roots,
    )
    log.note(f"chain of {len(path)} to {path[-1].subject.rfc4514_string()}")


def installed_name(order: Order) -> str:
    fields = recording.certificate_fields(order.issued_cert_pem)
    day = fields["not_before"].date()
    return f"Certfleet {order.names[0]} {day:%Y-%m-%d} #{fields['serial_hex'][-8:]}"


def install(run, log) -> None:
    order = run.order
    order.installed_name = installed_name(order)
    order.save(update_fields=["installed_name"])
    client = _client(run)
    try:
        plesk_steps.install_and_bind(
            client,
            order,
            order.installed_name,
            order.issued_cert_pem,
            order.issued_chain_pem,
        )
        if order.temp_certificate_name:
            client.remove_certificate(order.site, order.temp_certificate_name)
            order.temp_certificate_name = ""
    finally:
        log.raw(plesk_steps.exchange(client))
    log.note(f"installed and bound {order.installed_name}")


def verify(run, log) -> None:
    order = run.order
    fields = recording.certificate_fields(order.issued_cert_pem)
    for line in verifying.verify_served(
        order.site.ip_addresses,
        order.site.server.https_port,
        order.names[0],
        fields["fingerprint_sha256"],
        order.authority.trusted_roots,
    ):
        log.note(line)


def record(run, log) -> None:
    certificate = recording.record(run.order)
    log.note(f"certificate {certificate.serial_hex} recorded")
