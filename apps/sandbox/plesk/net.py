"""Sockets of the sandbox fleet: one thread accepts on every listener (panel API
and site TLS ports of all servers); each connection is then served on its own
short-lived thread."""

import contextlib
import logging
import selectors
import socket
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler

logger = logging.getLogger(__name__)

AGENT_PATH = "/enterprise/control/agent.php"


class Listeners:
    def __init__(self) -> None:
        self.selector = selectors.DefaultSelector()
        self.stopping = threading.Event()
        self._wake_r, self._wake_w = socket.socketpair()
        self.selector.register(self._wake_r, selectors.EVENT_READ, None)
        self._sockets: list[socket.socket] = []
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._thread = threading.Thread(
            target=self._loop, name="plesk-sandbox-accept", daemon=True
        )

    def listen(
        self, host: str, port: int, serve: Callable[[socket.socket], None]
    ) -> int:
        """Bind host:port (0 = any free port) and serve each connection; the port."""
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, port))
            sock.listen(128)
            sock.setblocking(False)
        except OSError:
            sock.close()
            raise
        self._sockets.append(sock)
        self.selector.register(sock, selectors.EVENT_READ, serve)
        return sock.getsockname()[1]

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self._wake_w.send(b"x")
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        for sock in self._sockets:
            self.selector.unregister(sock)
            sock.close()
        with self._lock:
            open_connections = list(self._connections)
        for conn in open_connections:
            _shut(conn)
        self.selector.close()
        self._wake_r.close()
        self._wake_w.close()

    def _loop(self) -> None:
        while not self.stopping.is_set():
            for key, _ in self.selector.select(timeout=1.0):
                if key.data is None or self.stopping.is_set():
                    continue
                try:
                    conn, _addr = key.fileobj.accept()
                except (BlockingIOError, OSError):
                    continue
                conn.setblocking(True)
                threading.Thread(
                    target=self._serve, args=(key.data, conn), daemon=True
                ).start()

    def _serve(self, serve: Callable[[socket.socket], None], conn) -> None:
        with self._lock:
            self._connections.add(conn)
        try:
            serve(conn)
        except Exception:
            logger.debug("sandbox connection failed", exc_info=True)
        finally:
            with self._lock:
                self._connections.discard(conn)
            conn.close()


def _shut(conn: socket.socket) -> None:
    with contextlib.suppress(OSError):
        conn.shutdown(socket.SHUT_RDWR)


class ApiHandler(BaseHTTPRequestHandler):
    """HTTP/1.1 with keep-alive; the server object carries the agent."""

    protocol_version = "HTTP/1.1"
    server_version = "sw-cp-server"
    sys_version = ""

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        logger.debug("sandbox api: " + format, *args)

    def do_POST(self) -> None:  # noqa: N802
        if self.path.split("?")[0] != AGENT_PATH:
            self._plain(404, b"Not found")
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        answer = self.server.agent.answer(body, self.headers)
        if answer.hang:
            self.server.stopping.wait(answer.hang)
            self.close_connection = True
            return
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        self.send_header("Cache-Control", "no-store, no-cache, must-revalidate")
        self.send_header("Expires", "Mon, 26 Jul 1990 05:00:00 GMT")
        self.send_header("Pragma", "no-cache")
        self.end_headers()
        self.wfile.write(answer.body)

    def do_GET(self) -> None:  # noqa: N802
        self._plain(405, b"Method not allowed")

    def _plain(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
