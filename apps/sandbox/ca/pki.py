"""The sandbox CA's keys and certificates, made fresh at every start.

Three hierarchies: the issuing root with its intermediate (real certificates chain to
it), a separate "For Test Purposes Only" issuer for temporary certificates (trusted by
nobody), and a listener root that signs the HTTPS endpoint's own certificate.
"""

import datetime as dt
import ipaddress
import secrets
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PEM = serialization.Encoding.PEM
YEAR = dt.timedelta(days=365)


@dataclass
class Issuer:
    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate

    @property
    def pem(self) -> str:
        return self.cert.public_bytes(PEM).decode()


def _name(common_name: str, unit: str = "") -> x509.Name:
    parts = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "BE"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Certfleet Sandbox CA"),
    ]
    if unit:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(parts)


def serial_number() -> int:
    """Eight random bytes, like the CA's real serials; leading zero bytes happen."""
    return int.from_bytes(secrets.token_bytes(8), "big") or 1


def _ca_cert(
    subject: x509.Name,
    key: ec.EllipticCurvePrivateKey,
    parent: Issuer | None,
    not_after: dt.datetime,
    path_length: int | None,
) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    signer_key = parent.key if parent else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(parent.cert.subject if parent else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=path_length), True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False
        )
    )
    if parent:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(parent.key.public_key()),
            False,
        )
    return builder.sign(signer_key, hashes.SHA256())


def make_root(common_name: str, unit: str = "", years: int = 20) -> Issuer:
    key = ec.generate_private_key(ec.SECP256R1())
    not_after = dt.datetime.now(dt.UTC) + years * YEAR
    return Issuer(key, _ca_cert(_name(common_name, unit), key, None, not_after, None))


def make_intermediate(parent: Issuer, common_name: str, years: int = 10) -> Issuer:
    key = ec.generate_private_key(ec.SECP256R1())
    not_after = min(
        dt.datetime.now(dt.UTC) + years * YEAR, parent.cert.not_valid_after_utc
    )
    return Issuer(key, _ca_cert(_name(common_name), key, parent, not_after, 0))


def issue_leaf(
    issuer: Issuer,
    public_key,
    names: list[str],
    not_before: dt.datetime,
    not_after: dt.datetime,
    serial: int | None = None,
) -> x509.Certificate:
    """A server certificate for `names` (the first is the CN) on the CSR's key."""
    sans: list[x509.GeneralName] = []
    for name in names:
        try:
            sans.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            sans.append(x509.DNSName(name))
    rsa_key = isinstance(public_key, rsa.RSAPublicKey)
    usage = x509.KeyUsage(
        True, rsa_key, False, False, False, False, False, False, False
    )
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
        .issuer_name(issuer.cert.subject)
        .public_key(public_key)
        .serial_number(serial or serial_number())
        .not_valid_before(not_before)
        .not_valid_after(min(not_after, issuer.cert.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), True)
        .add_extension(usage, critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
        .add_extension(x509.SubjectAlternativeName(sans), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            False,
        )
        .sign(issuer.key, hashes.SHA256())
    )


@dataclass
class Listener:
    """The HTTPS endpoint's certificate and key as PEM files' contents."""

    ca_pem: str
    cert_pem: str
    key_pem: str


def make_listener(host: str) -> Listener:
    root = make_root("Certfleet Sandbox CA endpoint root", years=2)
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    names = sorted({host, "127.0.0.1", "localhost"})
    cert = issue_leaf(
        root, key.public_key(), names, now - dt.timedelta(hours=1), now + YEAR
    )
    key_pem = key.private_bytes(
        PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return Listener(root.pem, cert.public_bytes(PEM).decode(), key_pem.decode())
