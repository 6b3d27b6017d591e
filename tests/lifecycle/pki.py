"""A small PKI for lifecycle tests: a root, an intermediate and leaves for names,
made with the cryptography package; plus Certificate rows that match them."""

import datetime as dt
import hashlib
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from apps.certificates.models import Certificate
from apps.core import clock, serials

PEM = serialization.Encoding.PEM


@dataclass
class Issued:
    cert: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    @property
    def pem(self) -> str:
        return self.cert.public_bytes(PEM).decode()

    @property
    def key_pem(self) -> str:
        return self.key.private_bytes(
            PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()

    @property
    def fingerprint(self) -> str:
        der = self.cert.public_bytes(serialization.Encoding.DER)
        return hashlib.sha256(der).hexdigest()


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _build(
    subject,
    issuer: Issued | None,
    days: float,
    ca: bool,
    names=(),
    serial=None,
    lifetime: float | None = None,
):
    """Valid for `days` more, issued `lifetime` days before it ends."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = clock.now()
    ends = now + dt.timedelta(days=days)
    begins = ends - dt.timedelta(days=lifetime) if lifetime else now
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer.cert.subject if issuer else _name(subject))
        .public_key(key.public_key())
        .serial_number(serial or x509.random_serial_number())
        .not_valid_before(min(begins, now - dt.timedelta(hours=1)))
        .not_valid_after(ends)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if names:
        sans = x509.SubjectAlternativeName([x509.DNSName(n) for n in names])
        builder = builder.add_extension(sans, critical=False)
    signer = issuer.key if issuer else key
    return Issued(builder.sign(signer, hashes.SHA256()), key)


class LabCA:
    def __init__(self, name: str = "Lifecycle Test"):
        self.root = _build(f"{name} Root", None, 3650, ca=True)
        self.intermediate = _build(f"{name} Intermediate", self.root, 1800, ca=True)

    def leaf(
        self, *names: str, days: float = 90, lifetime: float = 90, serial=None
    ) -> Issued:
        """A leaf for `names`, `days` left of a `lifetime`-day validity."""
        return _build(
            names[0],
            self.intermediate,
            days,
            ca=False,
            names=names,
            serial=serial,
            lifetime=lifetime,
        )


def record(site, issued: Issued, chain_pem: str = "", voucher=None) -> Certificate:
    """A Certificate row for `issued`, made the site's current certificate."""
    cert = issued.cert
    certificate = Certificate.objects.create(
        site=site,
        serial_key=serials.key(cert.serial_number),
        serial_hex=serials.display(cert.serial_number),
        subject_cn=cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value,
        sans=cert.extensions.get_extension_for_class(
            x509.SubjectAlternativeName
        ).value.get_values_for_type(x509.DNSName),
        issuer=cert.issuer.rfc4514_string(),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        fingerprint_sha256=issued.fingerprint,
        cert_pem=issued.pem,
        chain_pem=chain_pem,
        key_pem=issued.key_pem,
        voucher=voucher,
    )
    site.current_certificate = certificate
    site.save(update_fields=["current_certificate"])
    return certificate
