"""An authoritative DNS server for the sandbox's zones, on loopback.

Answers A, AAAA and TXT for names the fleet registers; everything else under the
sandbox is NXDOMAIN. Records can change at any time (TXT records come and go through
the Plesk DNS API), so the store is guarded by a lock.
"""

import ipaddress
import itertools
import threading

from dnslib import AAAA, QTYPE, RCODE, RR, TXT, A
from dnslib.server import BaseResolver, DNSLogger, DNSServer


class _Zone(BaseResolver):
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.addresses: dict[str, list[str]] = {}
        self.txt: dict[int, tuple[str, str]] = {}
        self.ids = itertools.count(1)

    def resolve(self, request, handler):
        reply = request.reply()
        qname = str(request.q.qname).rstrip(".").lower()
        qtype = QTYPE[request.q.qtype]
        with self.lock:
            addresses = list(self.addresses.get(qname, []))
            texts = [v for n, v in self.txt.values() if n == qname]
        if not addresses and not texts:
            reply.header.rcode = RCODE.NXDOMAIN
            return reply
        for ip in addresses:
            v6 = ipaddress.ip_address(ip).version == 6
            if qtype == "A" and not v6:
                reply.add_answer(RR(qname, QTYPE.A, rdata=A(ip), ttl=60))
            elif qtype == "AAAA" and v6:
                reply.add_answer(RR(qname, QTYPE.AAAA, rdata=AAAA(ip), ttl=60))
        if qtype == "TXT":
            for value in texts:
                reply.add_answer(RR(qname, QTYPE.TXT, rdata=TXT(value), ttl=60))
        return reply


class SandboxDNS:
    """Start with `SandboxDNS().start()`; `port` is the bound UDP/TCP port."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.zone = _Zone()
        quiet = DNSLogger(log="-request,-reply,-truncated,-error", prefix=False)
        self.udp = DNSServer(self.zone, address=host, port=port, logger=quiet)
        bound = self.udp.server.server_address[1]
        self.tcp = DNSServer(
            self.zone, address=host, port=bound, tcp=True, logger=quiet
        )
        self.port = bound

    def start(self) -> "SandboxDNS":
        self.udp.start_thread()
        self.tcp.start_thread()
        return self

    def stop(self) -> None:
        for server in (self.udp, self.tcp):
            server.stop()
            server.server.server_close()

    def set_addresses(self, name: str, addresses: list[str]) -> None:
        with self.zone.lock:
            if addresses:
                self.zone.addresses[name.lower().rstrip(".")] = list(addresses)
            else:
                self.zone.addresses.pop(name.lower().rstrip("."), None)

    def add_txt(self, name: str, value: str) -> int:
        with self.zone.lock:
            record_id = next(self.zone.ids)
            self.zone.txt[record_id] = (name.lower().rstrip("."), value)
        return record_id

    def remove_txt(self, record_id: int) -> bool:
        with self.zone.lock:
            return self.zone.txt.pop(record_id, None) is not None
