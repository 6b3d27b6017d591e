"""Reading a certificate request the way the sandbox CA does."""

from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from .rules import UNSUPPORTED_COUNTRIES, Refusal

DN_LIMIT = 1024


@dataclass
class Request:
    der: bytes
    public_key: object
    public_key_der: bytes
    names: list[str]  # the CN first, then the other SANs, lower case
    algorithm: str  # "RSA" or "ECC"
    key_length: int


def _names(csr: x509.CertificateSigningRequest) -> list[str]:
    names: list[str] = []
    for attribute in csr.subject.get_attributes_for_oid(NameOID.COMMON_NAME):
        names.append(str(attribute.value).lower())
    try:
        sans = csr.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        sans = None
    if sans is not None:
        for dns_name in sans.value.get_values_for_type(x509.DNSName):
            if dns_name.lower() not in names:
                names.append(dns_name.lower())
    return names


def read(csr_pem: str) -> Request:
    """Parse and vet `csr_pem`: -6001, -6019 or -9935 when it cannot be used."""
    try:
        csr = x509.load_pem_x509_csr((csr_pem or "").encode())
        valid = csr.is_signature_valid
        key = csr.public_key()
    except (ValueError, TypeError) as exc:
        raise Refusal(-6001, "CSR", str(exc)[:120]) from exc
    if not valid:
        raise Refusal(-6001, "CSR", "bad signature")
    subject = csr.subject.public_bytes()
    if len(subject) > DN_LIMIT:
        raise Refusal(-6019, "CSR", f"{len(subject)} bytes")
    for attribute in csr.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME):
        if str(attribute.value).upper() in UNSUPPORTED_COUNTRIES:
            raise Refusal(-9935, "CSR", str(attribute.value))
    if isinstance(key, rsa.RSAPublicKey):
        algorithm, length = "RSA", key.key_size
    elif isinstance(key, ec.EllipticCurvePublicKey):
        algorithm, length = "ECC", key.curve.key_size
    else:
        raise Refusal(-6001, "CSR", "unsupported key type")
    names = _names(csr)
    if not names:
        raise Refusal(-6001, "CSR", "no name in the request")
    key_der = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return Request(
        der=csr.public_bytes(serialization.Encoding.DER),
        public_key=key,
        public_key_der=key_der,
        names=names,
        algorithm=algorithm,
        key_length=length,
    )
