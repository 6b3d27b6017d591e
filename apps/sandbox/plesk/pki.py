"""Certificates the sandbox fleet makes for itself.

Each server has a self-signed panel certificate and a self-signed default certificate
for its sites. A "previous CA" (root and intermediate) issues the older certificates
that some sites already serve when the fleet starts; those are made on first use.
"""

import datetime as dt
import ipaddress
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@dataclass(frozen=True)
class Material:
    """PEM texts of one certificate: key, leaf, and the chain above the leaf."""

    key_pem: str
    cert_pem: str
    chain_pem: str = ""


def new_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def key_pem(key) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def cert_pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def _name(common_name: str, org: str = "") -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if org:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    return x509.Name(attrs)


def _general_names(names: list[str]) -> list[x509.GeneralName]:
    result: list[x509.GeneralName] = []
    for name in names:
        try:
            result.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            result.append(x509.DNSName(name))
    return result


def _builder(subject, issuer, public_key, not_before, not_after):
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
    )


def self_signed(common_name: str, names: list[str], days: int = 825) -> Material:
    """A self-signed leaf, as Plesk makes for its panel and default site."""
    key = new_key()
    now = dt.datetime.now(dt.UTC)
    subject = _name(common_name, "Plesk sandbox")
    cert = (
        _builder(
            subject,
            subject,
            key.public_key(),
            now - dt.timedelta(days=1),
            now + dt.timedelta(days=days),
        )
        .add_extension(x509.SubjectAlternativeName(_general_names(names)), False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    return Material(key_pem(key), cert_pem(cert))


class PreviousCA:
    """A root and an intermediate that issued what sites served before Certfleet."""

    def __init__(self, name: str = "Sandbox Previous CA") -> None:
        now = dt.datetime.now(dt.UTC)
        self.root_key = new_key()
        root_name = _name(f"{name} Root")
        self.root = self._ca_cert(
            root_name, root_name, self.root_key, self.root_key, now, 3650
        )
        self.intermediate_key = new_key()
        self.intermediate = self._ca_cert(
            _name(f"{name} Intermediate"),
            root_name,
            self.intermediate_key,
            self.root_key,
            now,
            1825,
        )
        # One key for every leaf: the sandbox does not need more.
        self.leaf_key = new_key()

    @staticmethod
    def _ca_cert(subject, issuer, key, signer, now, days) -> x509.Certificate:
        return (
            _builder(
                subject,
                issuer,
                key.public_key(),
                now - dt.timedelta(days=30),
                now + dt.timedelta(days=days),
            )
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .add_extension(
                x509.KeyUsage(
                    False, False, False, False, False, True, True, False, False
                ),
                True,
            )
            .sign(signer, hashes.SHA256())
        )

    @property
    def root_pem(self) -> str:
        return cert_pem(self.root)

    def issue(self, name: str, days_left: int) -> Material:
        """A leaf for `name` (and www.`name`) that expires in `days_left` days."""
        now = dt.datetime.now(dt.UTC)
        not_after = now + dt.timedelta(days=days_left)
        cert = (
            _builder(
                _name(name),
                self.intermediate.subject,
                self.leaf_key.public_key(),
                not_after - dt.timedelta(days=365),
                not_after,
            )
            .add_extension(
                x509.SubjectAlternativeName(_general_names([name, f"www.{name}"])),
                False,
            )
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), True)
            .sign(self.intermediate_key, hashes.SHA256())
        )
        return Material(
            key_pem(self.leaf_key), cert_pem(cert), cert_pem(self.intermediate)
        )


def fingerprint_sha256(pem: str) -> str:
    """Colon-separated upper-case hex SHA-256 of a PEM certificate."""
    cert = x509.load_pem_x509_certificate(pem.encode())
    digest = cert.fingerprint(hashes.SHA256()).hex().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))
