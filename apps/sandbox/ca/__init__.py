"""The sandbox voucher CA: a OneClickSSL-shaped SOAP service over HTTPS on loopback.

    ca = start_ca(dns=(dns_server.host, dns_server.port))
    ca.add_voucher("SUPER-0001", "super", ["127.0.1.0/24"], uses=10)
    ... VoucherBackend against ca.wsdl_url, trusting ca.listener_ca_pem ...
    ca.stop()

Only tests and the demo use it; the product reaches it over the network.
"""

import datetime as dt
import os
import ssl
import tempfile

from . import pki
from .book import KINDS, PURPOSES, Voucher, parse_network
from .desk import Account, Desk
from .probe import Resolver
from .server import CAServer, Faults

PLATFORM_IDS = {
    "plesk": "642889112500005",
    "cpanel": "642889112500002",
    "directadmin": "642889112500003",
    "iis": "642889112500004",
    "linux": "642889112500006",
}


class VoucherCA:
    def __init__(
        self,
        host: str,
        port: int,
        dns: tuple[str, int] | None,
        probe_deadline: float,
    ):
        root = pki.make_root("Certfleet Sandbox Root CA")
        self.desk = Desk(
            resolver=Resolver(dns),
            platform_ids=dict(PLATFORM_IDS),
            root=root,
            intermediate=pki.make_intermediate(root, "Certfleet Sandbox DV CA"),
            temporary=pki.make_root(
                "Certfleet Sandbox Temporary Issuer", unit="For Test Purposes Only"
            ),
            probe_deadline=probe_deadline,
            probe_interval=min(1.0, max(0.05, probe_deadline / 20)),
        )
        listener = pki.make_listener(host)
        self.listener_ca_pem = listener.ca_pem
        self.server = CAServer(host, port, self.desk, _context(listener))
        self.wsdl_url = self.server.address + "?wsdl"
        self.server.start()

    @property
    def root_pem(self) -> str:
        return self.desk.root.pem

    @property
    def intermediate_pem(self) -> str:
        return self.desk.intermediate.pem

    @property
    def temporary_issuer_pem(self) -> str:
        return self.desk.temporary.pem

    @property
    def platform_ids(self) -> dict[str, str]:
        return dict(self.desk.platform_ids)

    def add_voucher(
        self,
        code: str,
        kind: str,
        networks: list[str],
        uses: int,
        platform: str = "plesk",
        certificate_days: int = 365,
        expires_at: dt.datetime | None = None,
        bound_name: str = "",
        email_required: bool | None = None,
        purpose: str = "new",
        original_serial: int | None = None,
        allow_san: bool = False,
    ) -> None:
        """File a voucher; purpose "renewal" or "reissue" needs `original_serial`;
        `allow_san` lets its certificates carry further names (not wildcards)."""
        if kind not in KINDS or purpose not in PURPOSES:
            raise ValueError(f"unknown voucher kind {kind!r} or purpose {purpose!r}")
        if platform not in self.desk.platform_ids:
            raise ValueError(f"unknown platform {platform!r}")
        voucher = Voucher(
            code=code,
            kind=kind,
            networks=[parse_network(n) for n in networks],
            uses=uses,
            platform=platform,
            certificate_days=certificate_days,
            expires_at=expires_at,
            bound_name=bound_name.lower().rstrip("."),
            email_required=(
                kind in ("super", "trial") if email_required is None else email_required
            ),
            purpose=purpose,
            original_serial=original_serial,
            allow_san=allow_san,
        )
        with self.desk.lock:
            self.desk.book.add(voucher)

    def cancel_voucher(self, code: str) -> None:
        with self.desk.lock:
            self.desk.book.find(code).cancelled = True

    def uses_left(self, code: str) -> int:
        with self.desk.lock:
            return self.desk.book.find(code).uses_left

    def approve(self, order_id: str) -> None:
        """Release an order held for manual review (-5001)."""
        with self.desk.lock:
            self.desk.orders[order_id].held = False

    def set_account(
        self, card_valid: bool = True, credit: bool = True, deposit: bool = True
    ) -> None:
        with self.desk.lock:
            self.desk.account = Account(card_valid, credit, deposit)

    @property
    def reissue_daily_limit(self) -> int:
        return self.desk.reissue_daily_limit

    @reissue_daily_limit.setter
    def reissue_daily_limit(self, limit: int) -> None:
        self.desk.reissue_daily_limit = limit

    def set_dns(self, dns: tuple[str, int] | None) -> None:
        self.desk.resolver = Resolver(dns, self.desk.resolver.timeout)

    def advance(self, delta: dt.timedelta) -> None:
        """Move the CA's own clock (expiry of vouchers and issued certificates)."""
        with self.desk.lock:
            self.desk.offset += delta

    def is_revoked(self, serial: int) -> bool:
        with self.desk.lock:
            return self.desk.book.issued[serial].revoked

    def issued_for(self, name: str) -> list[int]:
        """Serials of the real certificates the CA issued naming `name`."""
        with self.desk.lock:
            return [
                serial
                for serial, cert in self.desk.book.issued.items()
                if name in cert.names
            ]

    def inject(
        self,
        latency: float = 0.0,
        http_status: int | None = None,
        malformed: bool = False,
        times: int | None = 1,
        late: bool = False,
        operation: str = "",
    ) -> None:
        """Trouble on the next `times` SOAP calls (None: until `clear_faults`);
        `late`: the latency comes after the CA acted, before it answers;
        `operation`: only calls of that operation, e.g. "GSOneClickOrderReal"."""
        with self.server.fault_lock:
            self.server.faults = Faults(
                latency, http_status, malformed, times, late, operation
            )

    def clear_faults(self) -> None:
        self.inject(times=0)

    def stop(self) -> None:
        """Stop serving; calling it again does nothing."""
        if self.server.running:
            self.server.stop()


def _context(listener: pki.Listener) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    with tempfile.TemporaryDirectory() as folder:
        cert = os.path.join(folder, "cert.pem")
        key = os.path.join(folder, "key.pem")
        with open(cert, "w") as fh:
            fh.write(listener.cert_pem)
        with open(key, "w") as fh:
            fh.write(listener.key_pem)
        context.load_cert_chain(cert, key)
    return context


def start_ca(
    host: str = "127.0.0.1",
    port: int = 0,
    dns: tuple[str, int] | None = None,
    probe_deadline: float = 180.0,
) -> VoucherCA:
    return VoucherCA(host, port, dns, probe_deadline)
