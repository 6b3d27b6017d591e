"""The live state of one sandbox Plesk server: its objects, certificate pools,
hosting bindings and DNS zones. Every change goes through here, under one lock."""

import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from apps.sandbox.dns import SandboxDNS
from apps.sandbox.plesk.pki import Material, PreviousCA
from apps.sandbox.plesk.population import Alias, Domain, Population
from apps.sandbox.plesk.versions import Release

ADMIN_POOL = "admin"


@dataclass
class StoredCertificate:
    name: str
    key_pem: str = ""
    cert_pem: str = ""
    chain_pem: str = ""
    csr_pem: str = ""
    # Certificates of the previous CA are made the first time they are needed.
    issue: Callable[[], Material] | None = None

    def material(self) -> Material | None:
        if self.issue is not None and not self.cert_pem:
            made = self.issue()
            self.key_pem, self.cert_pem, self.chain_pem = (
                made.key_pem,
                made.cert_pem,
                made.chain_pem,
            )
            self.issue = None
        if not self.cert_pem or not self.key_pem:
            return None
        return Material(self.key_pem, self.cert_pem, self.chain_pem)


@dataclass
class DnsRecord:
    id: int
    site_id: int
    type: str
    host: str  # fully qualified, no trailing dot
    value: str
    opt: str = ""
    sandbox_id: int | None = None  # the record in SandboxDNS, for TXT


@dataclass
class Identity:
    number: int
    name: str
    guid: str
    host: str
    second_ip: str
    login: str
    password: str
    secret_key: str
    release: Release
    ip_addresses: list[str] = field(default_factory=list)


@dataclass
class Index:
    """Lookups rebuilt after any change to the set of objects or their names."""

    by_name: dict[str, Domain]
    by_guid: dict[str, Domain]
    alias_by_name: dict[str, Alias]
    children: dict[int, list[Domain]]  # webspace or site id -> sites, subdomains


def _build_index(domains: dict[int, Domain], aliases: dict[int, Alias]) -> Index:
    children: dict[int, list[Domain]] = {}
    for d in domains.values():
        if d.kind == "site":
            children.setdefault(d.webspace_id, []).append(d)
        elif d.kind == "subdomain" and d.parent_id is not None:
            children.setdefault(d.parent_id, []).append(d)
    return Index(
        by_name={d.ascii_name: d for d in domains.values()},
        by_guid={d.guid: d for d in domains.values()},
        alias_by_name={a.ascii_name: a for a in aliases.values()},
        children=children,
    )


class ServerState:
    def __init__(
        self,
        identity: Identity,
        population: Population,
        previous_ca: PreviousCA,
        dns: SandboxDNS,
    ) -> None:
        self.identity = identity
        self.lock = threading.RLock()
        self.population = population
        self.dns = dns
        self.domains: dict[int, Domain] = {d.id: d for d in population.domains}
        self.aliases: dict[int, Alias] = {a.id: a for a in population.aliases}
        self._index: Index | None = None
        self.pools: dict[int | str, dict[str, StoredCertificate]] = {ADMIN_POOL: {}}
        self.zones: dict[int, dict[int, DnsRecord]] = {}
        self.record_ids = itertools.count(10_000)
        for domain in population.domains:
            if domain.previous_days_left:
                self._seed_previous(domain, previous_ca)
            self._publish(domain)
        for alias in population.aliases:
            site = self.domains[alias.site_id]
            for name in (alias.ascii_name, f"www.{alias.ascii_name}"):
                dns.set_addresses(name, site.ips)

    def _seed_previous(self, domain: Domain, ca: PreviousCA) -> None:
        name, days = domain.ascii_name, domain.previous_days_left
        stored = StoredCertificate(
            domain.certificate_name, issue=lambda: ca.issue(name, days)
        )
        self.pool(domain.id)[stored.name] = stored

    def _publish(self, domain: Domain) -> None:
        self.dns.set_addresses(domain.ascii_name, domain.ips)
        if domain.kind != "subdomain":
            self.dns.set_addresses(f"www.{domain.ascii_name}", domain.ips)

    # Lookups -------------------------------------------------------------
    @property
    def index(self) -> Index:
        if self._index is None:
            self._index = _build_index(self.domains, self.aliases)
        return self._index

    def changed(self) -> None:
        """Call after adding, removing or renaming objects."""
        self._index = None

    def pool(self, domain_id: int | str) -> dict[str, StoredCertificate]:
        return self.pools.setdefault(domain_id, {})

    def domain_named(self, name: str) -> Domain | None:
        return self.index.by_name.get(name.strip().lower().rstrip("."))

    def webspaces(self) -> list[Domain]:
        return [d for d in self.domains.values() if d.kind == "webspace"]

    def sites(self) -> list[Domain]:
        return [d for d in self.domains.values() if d.kind == "site"]

    def subdomains(self) -> list[Domain]:
        return [d for d in self.domains.values() if d.kind == "subdomain"]

    def visible_certificate(
        self, domain: Domain, name: str
    ) -> StoredCertificate | None:
        """A certificate of that name in the domain's, its subscription's or the
        server's pool: the ones a binding may name."""
        for key in (domain.id, domain.webspace_id, domain.parent_id, ADMIN_POOL):
            if key is not None and name in self.pools.get(key, {}):
                return self.pools[key][name]
        return None

    def bound_to(self, domain: Domain) -> StoredCertificate | None:
        if not domain.ssl or not domain.certificate_name or domain.htype != "vrt_hst":
            return None
        return self.visible_certificate(domain, domain.certificate_name)

    def certificate_in_use(self, pool_key: int | str, name: str) -> bool:
        for domain in self.domains.values():
            if domain.certificate_name != name:
                continue
            owners = {domain.id, domain.webspace_id, domain.parent_id, ADMIN_POOL}
            if pool_key in owners:
                return True
        return False

    # Serving -------------------------------------------------------------
    def served_by_name(
        self, server_name: str, local_ip: str
    ) -> StoredCertificate | None:
        """What the TLS listener on `local_ip` serves for SNI `server_name`."""
        name = server_name.lower().rstrip(".")
        with self.lock:
            index = self.index
            domain = index.by_name.get(name)
            if domain is None and name.startswith("www."):
                domain = index.by_name.get(name[4:])
            if domain is None:
                alias = index.alias_by_name.get(name) or index.alias_by_name.get(
                    name[4:] if name.startswith("www.") else ""
                )
                domain = self.domains.get(alias.site_id) if alias else None
            if domain is None or local_ip not in domain.ips:
                return None
            stored = self.bound_to(domain)
            if stored is not None:
                stored.material()
            return stored

    # Changes made "in the panel" (tests) -----------------------------------
    def rename(self, domain: Domain, new_name: str, new_ascii: str) -> None:
        with self.lock:
            self.dns.set_addresses(domain.ascii_name, [])
            self.dns.set_addresses(f"www.{domain.ascii_name}", [])
            domain.name, domain.ascii_name = new_name, new_ascii
            self._publish(domain)
            self.changed()

    def remove(self, domain: Domain) -> None:
        with self.lock:
            gone = [domain] + [
                d
                for d in self.domains.values()
                if d.parent_id == domain.id
                or (domain.kind == "webspace" and d.webspace_id == domain.id)
            ]
            for item in gone:
                self.domains.pop(item.id, None)
                self.dns.set_addresses(item.ascii_name, [])
                self.dns.set_addresses(f"www.{item.ascii_name}", [])
            for alias in [
                a for a in self.aliases.values() if a.site_id in {d.id for d in gone}
            ]:
                del self.aliases[alias.id]
            self.changed()

    def add(self, domain: Domain) -> None:
        with self.lock:
            self.domains[domain.id] = domain
            self._publish(domain)
            self.changed()

    def next_domain_id(self) -> int:
        return max(self.domains, default=0) + 1

    # DNS -----------------------------------------------------------------
    def zone(self, site_id: int) -> dict[int, DnsRecord]:
        """Records of a domain's zone, made on first use from the hosting data."""
        if site_id in self.zones:
            return self.zones[site_id]
        records: dict[int, DnsRecord] = {}
        domain = self.domains[site_id]
        names = [domain.ascii_name, f"www.{domain.ascii_name}"]
        names += [d.ascii_name for d in self.domains.values() if d.parent_id == site_id]
        for host in names:
            for ip in domain.ips:
                kind = "AAAA" if ":" in ip else "A"
                rid = next(self.record_ids)
                records[rid] = DnsRecord(rid, site_id, kind, host, ip)
        rid = next(self.record_ids)
        records[rid] = DnsRecord(
            rid, site_id, "TXT", domain.ascii_name, "v=spf1 +a +mx -all"
        )
        self.zones[site_id] = records
        return records

    def add_record(
        self, site_id: int, kind: str, host: str, value: str, opt: str
    ) -> DnsRecord:
        domain = self.domains[site_id]
        relative = host.strip().rstrip(".")
        fqdn = f"{relative}.{domain.ascii_name}" if relative else domain.ascii_name
        record = DnsRecord(next(self.record_ids), site_id, kind, fqdn, value, opt)
        if kind == "TXT":
            record.sandbox_id = self.dns.add_txt(fqdn, value)
        self.zone(site_id)[record.id] = record
        return record

    def delete_record(self, record_id: int) -> DnsRecord | None:
        for zone in self.zones.values():
            record = zone.pop(record_id, None)
            if record is not None:
                if record.sandbox_id is not None:
                    self.dns.remove_txt(record.sandbox_id)
                return record
        return None

    def zone_owner(self, record_id: int) -> bool:
        return any(record_id in zone for zone in self.zones.values())
