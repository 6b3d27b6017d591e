"""One sandbox Plesk server: its panel (XML API over HTTPS) and its sites' TLS
listeners, which serve each site's bound certificate by SNI."""

import hashlib
import logging
import socket
import ssl
import threading
from pathlib import Path

from apps.sandbox.plesk.agent import Agent
from apps.sandbox.plesk.faults import FaultPlan
from apps.sandbox.plesk.net import ApiHandler, Listeners
from apps.sandbox.plesk.pki import Material, fingerprint_sha256, self_signed
from apps.sandbox.plesk.state import ServerState

logger = logging.getLogger(__name__)


class _Contexts:
    """Server-side TLS contexts per certificate; ssl wants files, so they are
    written once into the fleet's temporary directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._cache: dict[str, ssl.SSLContext] = {}
        self._lock = threading.Lock()

    def get(self, material: Material) -> ssl.SSLContext:
        bundle = material.cert_pem.strip() + "\n" + material.chain_pem.strip()
        digest = hashlib.sha256((bundle + material.key_pem).encode()).hexdigest()
        with self._lock:
            context = self._cache.get(digest)
            if context is None:
                cert_file = self.directory / f"{digest}.crt"
                key_file = self.directory / f"{digest}.key"
                cert_file.write_text(bundle.strip() + "\n")
                key_file.write_text(material.key_pem)
                context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
                context.load_cert_chain(cert_file, key_file)
                self._cache[digest] = context
        return context


class SandboxServer:
    def __init__(self, state: ServerState, contexts: _Contexts) -> None:
        self.state = state
        self.identity = state.identity
        self.faults = FaultPlan()
        self.agent = Agent(state, self.faults)
        self.contexts = contexts
        names = [self.identity.name, self.identity.host]
        self.panel = self_signed(self.identity.name, names)
        self.default = self_signed(f"default.{self.identity.name}", names)
        self.panel_context = contexts.get(self.panel)
        self.site_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.site_context.load_cert_chain(*self._files(self.default))
        self.site_context.sni_callback = self._pick_certificate
        self.api_port = 0
        self.https_port = 0
        self.stopping: threading.Event | None = None

    def _files(self, material: Material) -> tuple[Path, Path]:
        self.contexts.get(material)
        digest = hashlib.sha256(
            (
                material.cert_pem.strip()
                + "\n"
                + material.chain_pem.strip()
                + material.key_pem
            ).encode()
        ).hexdigest()
        return (
            self.contexts.directory / f"{digest}.crt",
            self.contexts.directory / f"{digest}.key",
        )

    @property
    def fingerprint_sha256(self) -> str:
        return fingerprint_sha256(self.panel.cert_pem)

    # Listening -----------------------------------------------------------
    def listen(
        self, listeners: Listeners, api_port: int, https_port: int, site_ips: list[str]
    ) -> None:
        self.stopping = listeners.stopping
        self.api_port = listeners.listen(self.identity.host, api_port, self._serve_api)
        for attempt in range(50):
            try:
                self.https_port = self._listen_sites(listeners, https_port, site_ips)
                return
            except OSError:
                if https_port or attempt == 49:
                    raise

    def _listen_sites(self, listeners: Listeners, port: int, ips: list[str]) -> int:
        # One port for all of the server's addresses: take a free one on the
        # first address, then ask for the same number on the others.
        first = listeners.listen(ips[0], port, self._serve_site)
        for ip in ips[1:]:
            listeners.listen(ip, first, self._serve_site)
        return first

    def _serve_api(self, raw: socket.socket) -> None:
        raw.settimeout(30)
        conn = self.panel_context.wrap_socket(raw, server_side=True)
        try:
            ApiHandler(conn, conn.getpeername(), self)
        finally:
            conn.close()

    def _serve_site(self, raw: socket.socket) -> None:
        raw.settimeout(5)
        conn = self.site_context.wrap_socket(raw, server_side=True)
        try:
            _read_request(conn)
            body = f"{self.identity.name}\n".encode()
            conn.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                b"Connection: close\r\nContent-Length: "
                + str(len(body)).encode()
                + b"\r\n\r\n"
                + body
            )
        except OSError:
            pass
        finally:
            conn.close()

    def _pick_certificate(self, sslsock, server_name, _context) -> None:
        if not server_name:
            return
        try:
            local_ip = sslsock.getsockname()[0]
            stored = self.state.served_by_name(server_name, local_ip)
            if stored is not None:
                material = stored.material()
                if material is not None:
                    sslsock.context = self.contexts.get(material)
        except Exception:
            logger.exception(
                "sandbox %s could not pick a certificate for %s",
                self.identity.name,
                server_name,
            )


def _read_request(conn) -> None:
    """Read one HTTP request (headers and body), as a web server would."""
    data = b""
    while b"\r\n\r\n" not in data and len(data) < 65536:
        chunk = conn.recv(4096)
        if not chunk:
            return
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length" and value.strip().isdigit():
            length = int(value.strip())
    while len(body) < min(length, 1_000_000):
        chunk = conn.recv(65536)
        if not chunk:
            return
        body += chunk
