"""A small certificate authority made in the test, for the checks before install."""

import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

NOW = dt.datetime.now(dt.UTC)


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def make_cert(subject, issuer_name, key, signer, *, ca, days, names=()):
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - dt.timedelta(days=1))
        .not_valid_after(NOW + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if names:
        sans = x509.SubjectAlternativeName([x509.DNSName(n) for n in names])
        builder = builder.add_extension(sans, critical=False)
    return builder.sign(signer, hashes.SHA256())


def pem(cert) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode()


class SmallCA:
    """Root -> intermediate; issues leaves for a key."""

    def __init__(self, intermediate_days: int = 3650) -> None:
        self.root_key = ec.generate_private_key(ec.SECP256R1())
        self.root = make_cert(
            "Test Root", "Test Root", self.root_key, self.root_key, ca=True, days=7300
        )
        self.int_key = ec.generate_private_key(ec.SECP256R1())
        self.intermediate = make_cert(
            "Test Intermediate",
            "Test Root",
            self.int_key,
            self.root_key,
            ca=True,
            days=intermediate_days,
        )

    def issue(self, key, names, days=365):
        return make_cert(
            names[0],
            "Test Intermediate",
            key,
            self.int_key,
            ca=False,
            days=days,
            names=names,
        )
