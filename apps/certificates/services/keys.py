"""Step 3, key and CSR, made in the worker.

The key type comes from settings.CERTFLEET_KEY_TYPE (ec256 by default, rsa2048,
rsa3072); when the voucher CA asks for an RSA key length, that length wins.
"""

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from django.conf import settings

RSA_SIZES = {"rsa2048": 2048, "rsa3072": 3072}


def new_key(key_type: str | None = None, rsa_bits: int | None = None):
    key_type = (key_type or settings.CERTFLEET_KEY_TYPE or "ec256").lower()
    if rsa_bits:
        return rsa.generate_private_key(public_exponent=65537, key_size=rsa_bits)
    if key_type in RSA_SIZES:
        return rsa.generate_private_key(
            public_exponent=65537, key_size=RSA_SIZES[key_type]
        )
    return ec.generate_private_key(ec.SECP256R1())


def key_pem(key) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def load_key(pem: str):
    return serialization.load_pem_private_key(pem.encode(), password=None)


def key_algorithm(key) -> str:
    """The voucher CA's name for the key's algorithm."""
    return "RSA" if isinstance(key, rsa.RSAPrivateKey) else "ECC"


def fits(key, key_length: int | None) -> bool:
    """Whether `key` is what the CA asked for (no length asked: any key fits)."""
    if not key_length or key_length == 256:
        return True
    return isinstance(key, rsa.RSAPrivateKey) and key.key_size == key_length


def csr_pem(key, names: list[str]) -> str:
    """A CSR whose subject is the first name and whose SANs are all of them."""
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    sans = x509.SubjectAlternativeName([x509.DNSName(n) for n in names])
    request = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(subject)
        .add_extension(sans, critical=False)
        .sign(key, hashes.SHA256())
    )
    return request.public_bytes(serialization.Encoding.PEM).decode()


def make(names: list[str], rsa_bits: int | None = None) -> tuple[str, str]:
    """A fresh key and its CSR, both PEM."""
    key = new_key(rsa_bits=rsa_bits)
    return key_pem(key), csr_pem(key, names)
