"""A TLS listener on loopback (port 0) that serves, per SNI name, whatever
certificate and chain a test puts there; a stand-in for a web server."""

import socket
import ssl
import tempfile
import threading
from pathlib import Path


class SiteServer:
    def __init__(self, host: str = "127.0.0.1"):
        self.folder = tempfile.TemporaryDirectory()
        self.contexts: dict[str, ssl.SSLContext] = {}
        self.sock = socket.create_server((host, 0))
        self.sock.settimeout(0.2)
        self.host = host
        self.port = self.sock.getsockname()[1]
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.default = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.default.sni_callback = self._pick

    def serve(self, name: str, cert_pem: str, key_pem: str, chain: list[str] = ()):
        """Serve this certificate (and chain after it) to clients asking for name."""
        base = Path(self.folder.name) / f"{name}-{len(self.contexts)}"
        cert_file, key_file = base.with_suffix(".crt"), base.with_suffix(".key")
        cert_file.write_text(cert_pem + "".join(chain))
        key_file.write_text(key_pem)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_file, key_file)
        self.contexts[name] = context
        if len(self.contexts) == 1:
            self.default.load_cert_chain(cert_file, key_file)

    def _pick(self, sslobj, server_name, _context):
        if server_name in self.contexts:
            sslobj.context = self.contexts[server_name]

    def start(self) -> "SiteServer":
        self.thread.start()
        return self

    def _serve(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        try:
            with self.default.wrap_socket(conn, server_side=True) as tls:
                tls.recv(1)
        except (OSError, ssl.SSLError):
            pass
        finally:
            conn.close()

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=5)
        self.sock.close()
        self.folder.cleanup()
