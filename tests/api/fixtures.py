"""A small fleet owned by the personas, and API clients that carry their tokens.
Shared by tests/api and tests/cli through their conftest files.

Tenant A is reseller A with customer A1, tenant B reseller B with customer B1; each
tenant has a site, a voucher, an order, a certificate, a health check and an audit
event, so every endpoint can be tried as every persona.
"""

import datetime as dt
from dataclasses import dataclass

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.accounts.models import Account
from apps.audit.models import AuditEvent
from apps.bulk.models import Push
from apps.certificates.models import Certificate, HealthCheck, Order
from apps.core import clock, serials
from apps.fleet.models import PleskServer, Site
from apps.vouchers import codes
from apps.vouchers.models import Voucher


@dataclass
class Tenant:
    """What one customer owns, with its reseller."""

    reseller: Account
    customer: Account
    site: Site
    voucher: Voucher
    order: Order
    certificate: Certificate
    health: HealthCheck
    audit: AuditEvent


@dataclass
class Fleet:
    server: PleskServer
    a: Tenant
    b: Tenant
    provider_voucher: Voucher
    push: Push


def make_certificate(site: Site, serial: int, days: int = 90) -> Certificate:
    """A real self-signed certificate for the site, stored as the pipeline would."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = clock.now()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, site.name)])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(site.name)]), False)
        .sign(key, hashes.SHA256())
    )
    pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return Certificate.objects.create(
        site=site,
        serial_key=serials.key(serial),
        serial_hex=serials.display(serial),
        subject_cn=site.name,
        sans=[site.name],
        issuer=site.name,
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        fingerprint_sha256=cert.fingerprint(hashes.SHA256()).hex(),
        cert_pem=pem,
        key_pem=key_pem,
    )


def make_voucher(owner: Account, code: str, **fields) -> Voucher:
    values = {
        "kind": Voucher.Kind.SUPER,
        "certificate_days": 90,
        "expires_at": clock.now() + dt.timedelta(days=365),
        "networks": ["127.0.1.0/24"],
        "uses_allowed": 10,
    }
    values.update(fields)
    return Voucher.objects.create(code=codes.normalize(code), owner=owner, **values)


def _tenant(
    server: PleskServer, reseller: Account, customer: Account, label: str, n: int
) -> Tenant:
    site = Site.objects.create(
        server=server,
        owner=customer,
        name=f"shop-{label}.example",
        display_name=f"shop-{label}.example",
        ip_addresses=[f"127.0.1.{n}"],
        plesk_id=n,
        guid=f"guid-{label}",
    )
    voucher = make_voucher(customer, f"VOUCHER{label.upper()}0001")
    certificate = make_certificate(site, serial=0x0100 + n)
    site.current_certificate = certificate
    site.save(update_fields=["current_certificate"])
    order = Order.objects.create(
        site=site,
        voucher=voucher,
        state=Order.State.DONE,
        names=[site.name],
        certificate=certificate,
    )
    health = HealthCheck.objects.create(
        site=site, checked_at=clock.now(), ok=True, days_left=89
    )
    audit = AuditEvent.objects.create(
        at=clock.now(),
        action="certificate.issued",
        object_type="certificates.certificate",
        object_id=str(certificate.pk),
        account=customer,
    )
    return Tenant(reseller, customer, site, voucher, order, certificate, health, audit)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The personas' passwords need no real hashing here; it costs seconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def fleet(personas) -> Fleet:
    server = PleskServer.objects.create(
        name="plesk-1", host="127.0.1.250", secret="not-a-real-key"
    )
    a = _tenant(server, personas.reseller_a, personas.customer_a1, "a1", 11)
    b = _tenant(server, personas.reseller_b, personas.customer_b1, "b1", 21)
    provider_voucher = make_voucher(personas.provider, "PROVIDERSUPER001")
    push = Push.objects.create(
        voucher=provider_voucher, created_by=personas.staff, target={"kind": "csv"}
    )
    return Fleet(server, a, b, provider_voucher, push)


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


# Persona names as tests use them, and the attribute of `personas` holding the user.
USERS = {
    "staff": "staff",
    "reseller_a": "reseller_a_user",
    "customer_a1": "customer_a1_user",
    "reseller_b": "reseller_b_user",
    "customer_b1": "customer_b1_user",
}


@pytest.fixture
def api(personas):
    """`api("staff")`, `api("customer_a1")`, ...; `api(None)` is anonymous."""

    def make(name: str | None) -> APIClient:
        return client_for(getattr(personas, USERS[name]) if name else None)

    return make
