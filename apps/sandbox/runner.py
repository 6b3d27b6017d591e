"""Start the whole sandbox (DNS, Plesk fleet, voucher CA) and describe it.

`manage.py sandbox` runs it in its own process and writes the state file the demo
reads: servers (address, ports, credentials, pinned fingerprint), the DNS server,
the CA's WSDL address, TLS bundle and root, and the vouchers filed at the CA. The
product reads only that description and talks to the parts over sockets.
"""

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

SUPER_CODE = "SUPERMASSPUSH2026"
# The fleet's servers live on 127.0.1.k; the few sites that also answer on ::1
# are covered too. Sites on 127.0.2.k stay outside (they end -9019).
SUPER_NETWORKS = ["127.0.1.0/24", "::1/128"]
SUPER_DAYS = 365


@dataclass
class Running:
    dns: object
    fleet: object
    ca: object
    vouchers: list[dict]

    def state(self) -> dict:
        return describe(self.dns, self.fleet, self.ca, self.vouchers)

    def stop(self) -> None:
        for part in (self.ca, self.fleet, self.dns):
            part.stop()


def super_voucher(uses: int) -> dict:
    return {
        "code": SUPER_CODE,
        "kind": "super",
        "networks": list(SUPER_NETWORKS),
        "uses": uses,
        "certificate_days": SUPER_DAYS,
        "platform": "plesk",
    }


def persona_vouchers() -> list[dict]:
    """Smaller vouchers the demo hands to a reseller and a customer, so those
    personas have something to assign and to redeem."""
    return [
        {**super_voucher(uses=20), "code": "RESELLERPACK2026", "holder": "reseller"},
        {**super_voucher(uses=3), "code": "CUSTOMERSITE2026", "holder": "customer"},
    ]


def start(servers: int = 3, sites: int = 300, seed: int = 1) -> Running:
    """DNS, then the fleet registering its names there, then the CA resolving
    through it; a super voucher with a use for every site (and room to spare)."""
    from apps.sandbox.ca import start_ca
    from apps.sandbox.dns import SandboxDNS
    from apps.sandbox.plesk import start_fleet

    dns = SandboxDNS().start()
    fleet = ca = None
    try:
        fleet = start_fleet(servers=servers, sites=sites, dns=dns, seed=seed)
        ca = start_ca("127.0.0.1", dns=(dns.host, dns.port))
        vouchers = [super_voucher(uses=max(10, sites * 3)), *persona_vouchers()]
        for voucher in vouchers:
            ca.add_voucher(
                voucher["code"],
                voucher["kind"],
                voucher["networks"],
                uses=voucher["uses"],
                platform=voucher["platform"],
                certificate_days=voucher["certificate_days"],
            )
    except BaseException:
        for part in (ca, fleet, dns):
            if part is not None:
                part.stop()
        raise
    return Running(dns, fleet, ca, vouchers)


def _servers(fleet) -> list[dict]:
    described = fleet.describe()
    if isinstance(described, dict) and "servers" in described:
        described = described["servers"]
    return [dict(server) for server in described]


def describe(dns, fleet, ca, vouchers: list[dict]) -> dict:
    return {
        "dns": {"host": dns.host, "port": dns.port},
        "servers": _servers(fleet),
        "ca": {
            "wsdl_url": ca.wsdl_url,
            "ca_bundle": ca.listener_ca_pem,
            "root_pem": ca.root_pem,
            "platform_id": ca.platform_ids["plesk"],
        },
        "vouchers": vouchers,
        "pid": os.getpid(),
    }


def write_state(path: Path, state: dict) -> None:
    """Write atomically, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", dir=path.parent, delete=False, suffix=".tmp"
    ) as handle:
        json.dump(state, handle, indent=2, default=str)
    os.chmod(handle.name, 0o600)  # it holds the servers' credentials
    os.replace(handle.name, path)


def read_state(path: Path) -> dict:
    return json.loads(Path(path).read_text())
