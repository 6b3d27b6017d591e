"""The sandbox CA's HTTPS endpoint: the WSDL on GET, SOAP on POST, faults on demand."""

import logging
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from . import service, soap, wsdl
from .desk import Desk

logger = logging.getLogger(__name__)
MAX_BODY = 1024 * 1024


@dataclass
class Faults:
    """Injected trouble for the next `times` SOAP calls (None: until cleared).

    `late`: the latency comes after the CA has acted, so the answer arrives late
    (a client that gave up meanwhile does not know what was done). `operation`:
    only calls of that operation are troubled (and counted).
    """

    latency: float = 0.0
    http_status: int | None = None
    malformed: bool = False
    times: int | None = 0
    late: bool = False
    operation: str = ""

    def take(self, operation: str) -> "Faults":
        if self.times == 0 or self.operation not in ("", operation):
            return Faults()
        if self.times is not None:
            self.times -= 1
        return Faults(self.latency, self.http_status, self.malformed, 1, self.late)


def _operation(body: bytes) -> str:
    try:
        return soap.parse(body)[0]
    except soap.Fault:
        return ""


class _Handler(BaseHTTPRequestHandler):
    server: "CAServer"
    protocol_version = "HTTP/1.0"
    timeout = 30

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        logger.debug("sandbox CA %s: " + format, self.client_address[0], *args)

    def _send(self, status: int, body: bytes, kind: str = "text/xml") -> None:
        self.send_response(status)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path != wsdl.PATH or parts.query.lower() != "wsdl":
            self._send(404, b"not found", "text/plain")
            return
        self._send(200, wsdl.render(self.server.address).encode())

    def do_POST(self) -> None:
        if urlsplit(self.path).path != wsdl.PATH:
            self._send(404, b"not found", "text/plain")
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._send(413, b"too large", "text/plain")
            return
        body = self.rfile.read(length)
        fault = self.server.take_fault(_operation(body))
        if fault.latency and not fault.late:
            time.sleep(fault.latency)
        if fault.http_status:
            self._send(
                fault.http_status, b"<html>Service Unavailable</html>", "text/html"
            )
            return
        if fault.malformed:
            self._send(200, b"<soap:Envelope><soap:Body><GSOneClick")
            return
        status, answer = service.answer(self.server.desk, body)
        if fault.latency and fault.late:
            time.sleep(fault.latency)
        self._send(status, answer)


class CAServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str, port: int, desk: Desk, context: ssl.SSLContext):
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        super().__init__((host, port), _Handler)
        self.desk = desk
        self.context = context
        self.faults = Faults()
        self.fault_lock = threading.Lock()
        shown = f"[{host}]" if ":" in host else host
        self.address = f"https://{shown}:{self.server_address[1]}{wsdl.PATH}"

    def get_request(self):
        raw, client = self.socket.accept()
        # The handshake runs in the handler's thread, not in the accept loop.
        return self.context.wrap_socket(
            raw, server_side=True, do_handshake_on_connect=False
        ), client

    def handle_error(self, request, client_address) -> None:
        logger.debug("sandbox CA: connection from %s failed", client_address)

    def take_fault(self, operation: str) -> Faults:
        with self.fault_lock:
            return self.faults.take(operation)

    def start(self) -> None:
        thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )
        thread.start()
        self.thread = thread
        self.running = True

    def stop(self) -> None:
        self.running = False
        self.shutdown()
        self.server_close()
        self.thread.join(timeout=5)
