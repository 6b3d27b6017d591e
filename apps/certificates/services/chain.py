"""Step 6a, checks before installing: the certificate belongs to our key, covers the
site's names, its chain builds to a trusted root with nothing fetched, and no chain
certificate expires before it."""

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization

from apps.ca import errors
from apps.ca.errors import CertfleetError

MAX_DEPTH = 8


def load_all(pem: str) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates(pem.encode()) if pem.strip() else []


def to_pem(certs: list[x509.Certificate]) -> str:
    return "".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in certs)


def split_leaf(pem: str) -> tuple[str, str]:
    """(leaf, chain) of a leaf followed by its chain, both PEM."""
    certs = load_all(pem)
    return to_pem(certs[:1]), to_pem(certs[1:])


def public_key_matches(cert: x509.Certificate, key) -> bool:
    fmt = serialization.PublicFormat.SubjectPublicKeyInfo
    ours = key.public_key().public_bytes(serialization.Encoding.DER, fmt)
    theirs = cert.public_key().public_bytes(serialization.Encoding.DER, fmt)
    return ours == theirs


def dns_names(cert: x509.Certificate) -> list[str]:
    try:
        ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        return []
    return [n.lower() for n in ext.value.get_values_for_type(x509.DNSName)]


def covers(cert_names: list[str], name: str) -> bool:
    if name in cert_names:
        return True
    head, _, rest = name.partition(".")
    return bool(head) and f"*.{rest}" in cert_names


def _issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    if cert.issuer != issuer.subject:
        return False
    try:
        cert.verify_directly_issued_by(issuer)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def build_path(
    leaf: x509.Certificate,
    intermediates: list[x509.Certificate],
    roots: list[x509.Certificate],
) -> list[x509.Certificate]:
    """Leaf, intermediates, root: the path to a trusted root, or CHAIN_INCOMPLETE."""
    path = [leaf]
    for _ in range(MAX_DEPTH):
        current = path[-1]
        root = next((r for r in roots if _issued_by(current, r)), None)
        if root is not None:
            return path if root == current else [*path, root]
        parent = next(
            (c for c in intermediates if c not in path and _issued_by(current, c)),
            None,
        )
        if parent is None:
            break
        path.append(parent)
    raise CertfleetError(
        errors.CHAIN_INCOMPLETE, f"no path from {leaf.subject.rfc4514_string()}"
    )


def check_issued(
    cert_pem: str, chain_pem: str, key_pem: str, names: list[str], roots_pem: str
) -> list[x509.Certificate]:
    """All checks before install; returns the path leaf..root."""
    from apps.certificates.services.keys import load_key

    leaf = x509.load_pem_x509_certificate(cert_pem.encode())
    if not public_key_matches(leaf, load_key(key_pem)):
        raise CertfleetError(errors.KEY_MISMATCH)
    cert_names = dns_names(leaf)
    missing = [n for n in names if not covers(cert_names, n)]
    if missing:
        raise CertfleetError(errors.NAMES_NOT_COVERED, ", ".join(missing))
    roots = load_all(roots_pem)
    if not roots:
        raise CertfleetError(errors.CHAIN_INCOMPLETE, "the CA has no trusted roots set")
    path = build_path(leaf, load_all(chain_pem), roots)
    for cert in path[1:]:
        if cert.not_valid_after_utc < leaf.not_valid_after_utc:
            raise CertfleetError(
                errors.CHAIN_EXPIRES_EARLY, cert.subject.rfc4514_string()
            )
    return path
