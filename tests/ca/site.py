"""A site's HTTPS port for the CA's probe: a real TLS listener on loopback that serves,
per SNI name, whatever certificate the test installs."""

import datetime as dt
import socket
import ssl
import threading
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

PEM = serialization.Encoding.PEM


def make_key(algorithm: str = "ECC", length: int = 256):
    if algorithm == "RSA":
        return rsa.generate_private_key(public_exponent=65537, key_size=length)
    return ec.generate_private_key(ec.SECP384R1() if length > 256 else ec.SECP256R1())


def key_pem(key) -> str:
    return key.private_bytes(
        PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def make_csr(key, names: list[str], extra: list[x509.NameAttribute] = ()) -> str:
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0]), *extra])
    builder = x509.CertificateSigningRequestBuilder().subject_name(subject)
    builder = builder.add_extension(
        x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False
    )
    return builder.sign(key, hashes.SHA256()).public_bytes(PEM).decode()


def self_signed(name: str) -> tuple[str, object]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), False)
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(PEM).decode(), key


class Site:
    """`serve(name, cert_pem, key, chain)` decides what SNI `name` gets."""

    def __init__(self, folder: Path, host: str = "127.0.0.1"):
        self.folder = folder
        self.host = host
        self.contexts: dict[str, ssl.SSLContext] = {}
        cert_pem, key = self_signed("default.invalid")
        self.default = self._context("default", cert_pem, key, [])
        self.default.sni_callback = self._pick
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.listener = socket.create_server((host, 0), family=family)
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.running = True
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _context(self, label, cert_pem, key, chain) -> ssl.SSLContext:
        cert_file = self.folder / f"{label}-{id(key)}.pem"
        cert_file.write_text(cert_pem + "".join(chain) + key_pem(key))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_file)
        return context

    def _pick(self, sock: ssl.SSLObject, name: str | None, _context) -> None:
        chosen = self.contexts.get((name or "").lower())
        if chosen is not None:
            sock.context = chosen

    def serve(self, name: str, cert_pem: str, key, chain: list[str] = ()) -> None:
        self.contexts[name.lower()] = self._context(name, cert_pem, key, list(chain))

    def _loop(self) -> None:
        while self.running:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(5)
                try:
                    with self.default.wrap_socket(conn, server_side=True):
                        pass
                except OSError:
                    pass

    def stop(self) -> None:
        self.running = False
        self.thread.join(timeout=5)
        self.listener.close()
