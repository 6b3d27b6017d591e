"""Step 8, record: the certificate, the site's current certificate, the voucher use
spent, the audit event, all in one transaction. People hear of it through the
lifecycle notices once the order is done (orders.finish)."""

import logging

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from django.db import transaction

from apps.audit import services as audit
from apps.certificates.models import Certificate, Order
from apps.certificates.services.chain import dns_names
from apps.core import serials

logger = logging.getLogger(__name__)


def certificate_fields(cert_pem: str) -> dict:
    cert = x509.load_pem_x509_certificate(cert_pem.encode())
    cn = cert.subject.get_attributes_for_oid(x509.oid.NameOID.COMMON_NAME)
    return {
        "serial_key": serials.key(cert.serial_number),
        "serial_hex": serials.display(cert.serial_number),
        "subject_cn": cn[0].value if cn else "",
        "sans": dns_names(cert),
        "issuer": cert.issuer.rfc4514_string()[:512],
        "not_before": cert.not_valid_before_utc,
        "not_after": cert.not_valid_after_utc,
        "fingerprint_sha256": cert.fingerprint(hashes.SHA256()).hex(),
    }


def record(order: Order) -> Certificate:
    """Store what the site now serves; spend the order's voucher use."""
    from apps.vouchers import services as vouchers

    site = order.site
    with transaction.atomic():
        # Idempotent: a worker that died after this committed but before the step
        # was logged resumes here, and must not record (or spend) a second time.
        done = Order.objects.select_for_update().get(pk=order.pk).certificate
        if done is not None:
            order.certificate = done
            return done
        certificate = Certificate.objects.create(
            site=site,
            cert_pem=order.issued_cert_pem,
            chain_pem=order.issued_chain_pem,
            key_pem=order.key_pem,
            plesk_name=order.installed_name,
            voucher=order.voucher,
            **certificate_fields(order.issued_cert_pem),
        )
        previous = site.current_certificate_id
        if previous:
            Certificate.objects.filter(pk=previous, status="active").update(
                status=Certificate.Status.REPLACED
            )
        site.current_certificate = certificate
        site.bound_certificate_name = order.installed_name
        site.ssl_enabled = True
        site.save(
            update_fields=[
                "current_certificate",
                "bound_certificate_name",
                "ssl_enabled",
            ]
        )
        order.certificate = certificate
        order.save(update_fields=["certificate"])
        if order.voucher_id:
            vouchers.spend(order)
        audit.record(
            "certificate.issued",
            certificate,
            actor=order.requested_by,
            account=site.owner,
            order=order.pk,
            site=site.name,
            serial=certificate.serial_hex,
            not_after=certificate.not_after.isoformat(),
        )
    return certificate


def contact_of(order: Order) -> str:
    return order.contact_email or order.site.owner.email
