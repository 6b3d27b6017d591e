"""The sandbox CA's order desk: the voucher check that opens an order.

A check order records what was asked (name, port, key type, voucher or serial to
revoke); test and real orders hang off it (see issuing.py).
"""

import datetime as dt
import re
import secrets
import threading
from dataclasses import dataclass, field

from apps.core import clock

from .book import Book, Voucher, covered_names, in_networks
from .csr import Request
from .pki import Issuer
from .probe import Resolver
from .rules import KEY_ALGORITHMS, RSA_ONLY, Refusal, check_request, high_risk

DAY = dt.timedelta(days=1)
_HEX = re.compile(r"^[0-9a-f]{1,40}$")


@dataclass
class Account:
    card_valid: bool = True
    credit: bool = True
    deposit: bool = True

    def check(self) -> None:
        if not self.card_valid:
            raise Refusal(-9910)
        if not self.credit:
            raise Refusal(-9911)
        if not self.deposit:
            raise Refusal(-9912)


@dataclass
class Order:
    order_id: str
    name: str
    port: int
    key_algorithm: str
    key_length: int
    voucher: Voucher | None = None
    revoke_serial: int | None = None
    held: bool = False
    # Test orders only: the check order they belong to, the request and the
    # temporary certificate; then the real certificate's serial once issued.
    check_id: str = ""
    request: Request | None = None
    temp_der: bytes = b""
    temp_pem: str = ""
    real_serial: int | None = None
    tests: list[str] = field(default_factory=list)


@dataclass
class Desk:
    resolver: Resolver
    platform_ids: dict[str, str]
    root: Issuer
    intermediate: Issuer
    temporary: Issuer
    probe_deadline: float = 180.0
    probe_interval: float = 0.5
    reissue_daily_limit: int = 3
    book: Book = field(default_factory=Book)
    account: Account = field(default_factory=Account)
    orders: dict[str, Order] = field(default_factory=dict)
    offset: dt.timedelta = dt.timedelta(0)
    lock: threading.RLock = field(default_factory=threading.RLock)

    def now(self) -> dt.datetime:
        return clock.now() + self.offset

    def new_order_id(self) -> str:
        while True:
            order_id = f"OC{secrets.randbelow(10**12):012d}"
            if order_id not in self.orders:
                return order_id

    def platform(self, platform_id: str) -> str:
        for platform, known in self.platform_ids.items():
            if known == platform_id.strip():
                return platform
        raise Refusal(-101, "PlatformID")

    # GSDomainVoucherCheckOC

    def voucher_check(self, req: dict) -> tuple[Order, Refusal | None]:
        """Open an order; the Refusal returned (not raised) is a -5001 warning."""
        check_request(req)
        platform = self.platform(req["PlatformID"])
        name = req["DomainName"].strip().lower().rstrip(".")
        algorithm = req.get("KeyAlgorithm", "RSA")
        if algorithm == "ECC" and platform in RSA_ONLY:
            raise Refusal(-105, "KeyAlgorithm", f"{platform} installs RSA keys only")
        if req.get("Revoke", 0) == 1:
            return self._revoke_check(req, name, algorithm), None
        with self.lock:
            voucher = self._usable_voucher(req["Voucher"], platform)
            if voucher.email_required and not (req.get("VoucherOption") or "").strip():
                raise Refusal(-102, "VoucherOption")
            if voucher.bound_name and name not in covered_names(voucher.bound_name):
                raise Refusal(-9003, "DomainName")
        addresses = self.resolver.addresses(name)
        with self.lock:
            outside = [a for a in addresses if not in_networks(a, voucher.networks)]
            if voucher.networks and outside:
                raise Refusal(-9019, "DomainName", ", ".join(outside))
            self._original_live(voucher)
            self.usage(voucher, name)
            self.account.check()
            order = Order(
                self.new_order_id(),
                name,
                req.get("PortNumber", 443),
                algorithm,
                KEY_ALGORITHMS[algorithm],
                voucher=voucher,
            )
            warning = None
            word = high_risk(name)
            if word:
                order.held = True
                warning = Refusal(-5001, "DomainName", f"matched {word!r}")
            self.orders[order.order_id] = order
        return order, warning

    def _usable_voucher(self, code: str, platform: str) -> Voucher:
        voucher = self.book.find(code)
        if voucher is None:
            raise Refusal(-9001, "Voucher")
        if voucher.cancelled:
            raise Refusal(-9026, "Voucher")
        if voucher.expires_at and voucher.expires_at <= self.now():
            raise Refusal(-9011, "Voucher")
        if voucher.platform != platform:
            raise Refusal(-9018, "PlatformID")
        return voucher

    def _original_live(self, voucher: Voucher) -> None:
        """Renewal and reissue vouchers need their original certificate still live."""
        if voucher.purpose == "new":
            return
        original = self.book.issued.get(voucher.original_serial or 0)
        if original is None or not original.live(self.now()):
            raise Refusal(-9028 if voucher.purpose == "renewal" else -9029, "Voucher")

    def usage(self, voucher: Voucher, name: str) -> bool:
        """True for a reissue (no use spent); refuses when nothing may be issued.

        A name this voucher already has an unexpired certificate for is a reissue,
        limited per day; otherwise a use must be left.
        """
        now = self.now()
        previous = self.book.previous_for(voucher, name)
        if previous and previous.not_after > now:
            if self.book.reissues_since(voucher, now - DAY) >= self.reissue_daily_limit:
                raise Refusal(-9012, "Voucher")
            return True
        if voucher.uses_left > 0:
            return False
        if previous:
            raise Refusal(-9005, "Voucher")
        raise Refusal(-4005, "Voucher")

    def _revoke_check(self, req: dict, name: str, algorithm: str) -> Order:
        """Revoke mode: the Voucher field carries the certificate's serial (hex)."""
        text = req["Voucher"].strip().lower()
        if not _HEX.match(text):
            raise Refusal(-9007, "Voucher", "hex digits only, e.g. 0100011617904c9e")
        serial = int(text, 16)
        with self.lock:
            cert = self.book.issued.get(serial)
            if cert is None:
                raise Refusal(-9007, "Voucher")
            if cert.revoked:
                raise Refusal(-6029, "Voucher")
            if cert.not_after <= self.now():
                raise Refusal(-9008, "Voucher")
            if name not in cert.names:
                raise Refusal(-105, "DomainName", "not a name of this certificate")
        self.resolver.addresses(name)
        with self.lock:
            order = Order(
                self.new_order_id(),
                name,
                req.get("PortNumber", 443),
                algorithm,
                KEY_ALGORITHMS[algorithm],
                revoke_serial=serial,
            )
            self.orders[order.order_id] = order
        return order
