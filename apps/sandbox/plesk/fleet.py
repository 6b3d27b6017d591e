"""Start and stop a sandbox fleet of Plesk servers on loopback.

fleet = start_fleet(servers=3, sites=300, dns=dns)
fleet.describe()            # what to register in the portal
fleet.server(1).faults.hang(operator="certificate", operation="install")
fleet.binding("shop.example")  # what a site is bound to now
fleet.stop()
"""

import random
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from apps.sandbox.dns import SandboxDNS
from apps.sandbox.plesk.pki import PreviousCA
from apps.sandbox.plesk.population import Domain, populate, to_ascii
from apps.sandbox.plesk.server import SandboxServer, _Contexts
from apps.sandbox.plesk.state import Identity, ServerState, StoredCertificate
from apps.sandbox.plesk.versions import DEFAULT_RELEASES, Release


@dataclass(frozen=True)
class Binding:
    ssl: bool
    certificate_name: str


class Fleet:
    def __init__(
        self,
        servers: list[SandboxServer],
        dns: SandboxDNS,
        owns_dns: bool,
        previous_ca: PreviousCA,
        listeners,
        workdir,
    ) -> None:
        self.servers = servers
        self.dns = dns
        self.previous_ca = previous_ca
        self._owns_dns = owns_dns
        self._listeners = listeners
        self._workdir = workdir
        self._stopped = False

    def server(self, number_or_name: int | str) -> SandboxServer:
        """By number (1-based), full name, or short name ("plesk1")."""
        for srv in self.servers:
            ident = srv.identity
            if number_or_name in (ident.number, ident.name, ident.name.split(".")[0]):
                return srv
        raise KeyError(number_or_name)

    def describe(self) -> dict:
        return {
            "dns": {"host": self.dns.host, "port": self.dns.port},
            "previous_ca_root_pem": self.previous_ca.root_pem,
            "servers": [_describe(srv) for srv in self.servers],
        }

    def find(self, name: str) -> tuple[SandboxServer, Domain]:
        """The server and domain (main domain, site or subdomain) of a name."""
        key = name.lower().rstrip(".")
        for srv in self.servers:
            domain = srv.state.domain_named(key)
            if domain is not None:
                return srv, domain
        raise KeyError(name)

    def binding(self, name: str) -> Binding:
        srv, domain = self.find(name)
        with srv.state.lock:
            return Binding(domain.ssl, domain.certificate_name)

    def pool(self, name: str) -> list[str]:
        srv, domain = self.find(name)
        with srv.state.lock:
            return list(srv.state.pools.get(domain.id, {}))

    # Changes made in the panel, behind the product's back (tests) -----------
    def rename_site(self, name: str, new_name: str) -> None:
        srv, domain = self.find(name)
        srv.state.rename(domain, new_name, to_ascii(new_name))

    def remove_site(self, name: str) -> None:
        srv, domain = self.find(name)
        srv.state.remove(domain)

    def add_site(self, webspace_name: str, name: str) -> Domain:
        """A new add-on site in the subscription of `webspace_name`."""
        srv, webspace = self.find(webspace_name)
        with srv.state.lock:
            domain = Domain(
                srv.state.next_domain_id(),
                str(uuid.uuid4()),
                name,
                to_ascii(name),
                "site",
                webspace.webspace_id,
                webspace.owner_id,
                ips=list(webspace.ips),
            )
            srv.state.add(domain)
        return domain

    def bind_by_hand(
        self,
        name: str,
        certificate_name: str,
        key_pem: str,
        cert_pem: str,
        chain_pem: str = "",
    ) -> None:
        """Install and bind a certificate as someone in the panel would."""
        srv, domain = self.find(name)
        with srv.state.lock:
            srv.state.pool(domain.id)[certificate_name] = StoredCertificate(
                certificate_name, key_pem, cert_pem, chain_pem
            )
            domain.ssl, domain.certificate_name = True, certificate_name

    def sites(self) -> list[tuple[SandboxServer, Domain]]:
        return [(srv, d) for srv in self.servers for d in srv.state.domains.values()]

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self._listeners.stop()
        if self._owns_dns:
            self.dns.stop()
        self._workdir.cleanup()

    def __enter__(self) -> "Fleet":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _describe(srv: SandboxServer) -> dict:
    ident = srv.identity
    return {
        "name": ident.name,
        "host": ident.host,
        "api_port": srv.api_port,
        "https_port": srv.https_port,
        "secret_key": ident.secret_key,
        "login": ident.login,
        "password": ident.password,
        "fingerprint_sha256": srv.fingerprint_sha256,
        "ip_addresses": list(ident.ip_addresses),
        "plesk_version": ident.release.plesk_version,
        "protocol": ident.release.protocol,
    }


def _identity(number: int, seed: int, prefix: str, releases) -> Identity:
    rng = random.Random(f"identity:{seed}:{number}")
    second = prefix.rsplit(".", 1)[0] + "." + str(int(prefix.rsplit(".", 1)[1]) + 1)
    return Identity(
        number=number,
        name=f"plesk{number}.sandbox.test",
        guid=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        host=f"{prefix}.{number}",
        second_ip=f"{second}.{number}",
        login="admin",
        password=f"pw-{rng.getrandbits(48):012x}",
        secret_key=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        release=Release(releases[(number - 1) % len(releases)]),
    )


def start_fleet(
    servers: int = 3,
    sites: int = 300,
    dns: SandboxDNS | None = None,
    seed: int = 1,
    api_port: int = 0,
    https_port: int = 0,
    host_prefix: str = "127.0.1",
    releases: tuple[str, ...] = DEFAULT_RELEASES,
) -> Fleet:
    """Start `servers` sandbox servers holding `sites` domains in all.

    Server k answers the XML API on `host_prefix`.k:`api_port` and serves its sites
    on `host_prefix`.k, the next prefix's .k and (where possible) ::1, all at one
    `https_port` per server. Ports 0 mean free ports, read back via describe().
    """
    from apps.sandbox.plesk.net import Listeners

    if not 1 <= servers <= 254:
        raise ValueError("servers must be between 1 and 254")
    owns_dns = dns is None
    dns = dns or SandboxDNS().start()
    workdir = tempfile.TemporaryDirectory(prefix="plesk-sandbox-")
    contexts = _Contexts(Path(workdir.name))
    listeners = Listeners()
    previous_ca = PreviousCA()
    started: list[SandboxServer] = []
    first_index = 0
    try:
        for number in range(1, servers + 1):
            share = sites // servers + (1 if number <= sites % servers else 0)
            srv = _start_server(
                number,
                share,
                seed,
                first_index,
                host_prefix,
                releases,
                previous_ca,
                dns,
                contexts,
                listeners,
                api_port,
                https_port,
            )
            started.append(srv)
            first_index += share
    except Exception:
        listeners.stop()
        if owns_dns:
            dns.stop()
        workdir.cleanup()
        raise
    listeners.start()
    return Fleet(started, dns, owns_dns, previous_ca, listeners, workdir)


def _start_server(
    number,
    n_sites,
    seed,
    first_index,
    prefix,
    releases,
    previous_ca,
    dns,
    contexts,
    listeners,
    api_port,
    https_port,
) -> SandboxServer:
    identity = _identity(number, seed, prefix, releases)
    # ::1 is shared by all servers: with a fixed port only the first can use it.
    ipv6 = https_port == 0 or number == 1
    identity.ip_addresses = [identity.host, identity.second_ip] + (
        ["::1"] if ipv6 else []
    )
    population = populate(number, n_sites, seed, first_index)
    for domain in population.domains:
        domain.ips = [
            ip.replace("127.0.1.", prefix + ".").replace(
                "127.0.2.", identity.second_ip.rsplit(".", 1)[0] + "."
            )
            for ip in domain.ips
            if ipv6 or ip != "::1"
        ]
    state = ServerState(identity, population, previous_ca, dns)
    srv = SandboxServer(state, contexts)
    srv.listen(listeners, api_port, https_port, identity.ip_addresses)
    return srv


def wait_until(predicate, timeout: float = 5.0) -> bool:
    """Poll `predicate` until it holds (tests)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


_ = threading  # listeners run their own thread
