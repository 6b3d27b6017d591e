"""What one sandbox Plesk server holds, made deterministically from a seed.

Server k lives on 127.0.1.k. Most sites use that shared address; about one in ten
uses a second address 127.0.2.k (outside a voucher range of 127.0.1.0/24); a few also
answer on ::1. Names include IDN labels, high-risk words, sites without hosting,
subscription main domains and add-on sites; about a fifth already serve a certificate
of the "previous CA".
"""

import random
import uuid
from dataclasses import dataclass, field

import idna

ADMIN_ID = 1
ADJECTIVES = ["green", "quiet", "rapid", "bright", "little", "north", "urban", "happy"]
NOUNS = ["bakery", "garage", "studio", "garden", "books", "travel", "dental", "music"]
IDN_STEMS = [
    ("bücher", "example"),
    ("пример", "test"),
    ("café", "example"),
    ("straße", "example"),
    ("größe", "test"),
]
RISKY = ["paypal", "bank", "login", "microsoft", "apple"]
SUBDOMAIN_LABELS = ["blog", "shop", "docs"]


@dataclass
class Reseller:
    id: int
    guid: str
    login: str
    cname: str
    pname: str
    email: str


@dataclass
class Customer:
    id: int
    guid: str
    login: str
    cname: str
    pname: str
    email: str
    owner_id: int


@dataclass
class Domain:
    """A subscription's main domain (kind webspace), an add-on site or a subdomain."""

    id: int
    guid: str
    name: str  # Unicode form, as Plesk shows it
    ascii_name: str
    kind: str  # webspace | site | subdomain
    webspace_id: int
    owner_id: int
    htype: str = "vrt_hst"
    ips: list[str] = field(default_factory=list)
    ssl: bool = False
    certificate_name: str = ""
    parent_id: int | None = None  # subdomains: the domain they belong to
    label: str = ""  # subdomains: the part before the parent's name
    cr_date: str = "2023-04-02"
    previous_days_left: int = 0  # >0: bound to a previous-CA certificate


@dataclass
class Alias:
    id: int
    site_id: int
    name: str
    ascii_name: str


@dataclass
class Population:
    resellers: list[Reseller]
    customers: list[Customer]
    domains: list[Domain]
    aliases: list[Alias]


def to_ascii(name: str) -> str:
    return idna.encode(name, uts46=True).decode("ascii").lower()


def _quota(rng: random.Random, count: int, share: float, pool: list[int]) -> set[int]:
    wanted = round(count * share)
    if count >= 8:
        wanted = max(1, wanted)
    return set(rng.sample(pool, min(wanted, len(pool))))


class _Maker:
    def __init__(self, server_no: int, seed: int, first_index: int) -> None:
        self.rng = random.Random(f"{seed}:{server_no}")
        self.server_no = server_no
        self.index = first_index
        self.next_client = ADMIN_ID + 1
        self.next_domain = 1
        self.next_alias = 1

    def guid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def client_id(self) -> int:
        value, self.next_client = self.next_client, self.next_client + 1
        return value

    def domain_id(self) -> int:
        value, self.next_domain = self.next_domain, self.next_domain + 1
        return value

    def plain_name(self) -> str:
        self.index += 1
        adjective = self.rng.choice(ADJECTIVES)
        noun = self.rng.choice(NOUNS)
        tld = self.rng.choice(["example", "test"])
        return f"{adjective}-{noun}{self.index}.{tld}"


def _accounts(make: _Maker, n_sites: int) -> tuple[list[Reseller], list[Customer]]:
    resellers = []
    for r in range(1 if n_sites < 20 else 2):
        rid = make.client_id()
        login = f"reseller{make.server_no}-{r + 1}"
        resellers.append(
            Reseller(
                rid,
                make.guid(),
                login,
                f"Hosting Partner {login}",
                f"Partner {r + 1}",
                f"{login}@example.org",
            )
        )
    customers = []
    for c in range(max(1, n_sites // 5)):
        cid = make.client_id()
        owner = ADMIN_ID if c % 3 == 0 else resellers[c % len(resellers)].id
        login = f"cust{make.server_no}-{c + 1}"
        company = "Müller & Söhne GmbH" if c % 7 == 3 else f"Customer {c + 1} Ltd"
        customers.append(
            Customer(
                cid,
                make.guid(),
                login,
                company,
                f"Contact {c + 1}",
                f"{login}@example.org",
                owner,
            )
        )
    return resellers, customers


def _structure(make: _Maker, n_sites: int, customers: list[Customer]) -> list[Domain]:
    """Subscriptions with their add-on sites; names are filled in afterwards."""
    domains: list[Domain] = []
    webspace: Domain | None = None
    while len(domains) < n_sites:
        new_webspace = webspace is None or make.rng.random() < 0.62
        did = make.domain_id()
        if new_webspace:
            owner = make.rng.choice(customers).id
            if make.rng.random() < 0.05:
                owner = make.rng.choice([ADMIN_ID, customers[0].owner_id])
            webspace = Domain(did, make.guid(), "", "", "webspace", did, owner)
            domains.append(webspace)
        else:
            assert webspace is not None
            domains.append(
                Domain(did, make.guid(), "", "", "site", webspace.id, webspace.owner_id)
            )
        year, month = make.rng.randint(0, 4), make.rng.randint(1, 9)
        domains[-1].cr_date = f"202{year}-0{month}-{make.rng.randint(10, 28)}"
    return domains


def _names_and_addresses(make: _Maker, domains: list[Domain]) -> None:
    positions = list(range(len(domains)))
    outside = _quota(make.rng, len(domains), 0.10, positions)
    rest = [p for p in positions if p not in outside]
    risky = _quota(make.rng, len(domains), 0.03, rest)
    rest = [p for p in rest if p not in risky]
    no_hosting = _quota(make.rng, len(domains), 0.02, rest)
    rest = [p for p in rest if p not in no_hosting]
    idn = _quota(make.rng, len(domains), 0.05, rest)
    hosted = [p for p in positions if p not in no_hosting]
    previous = _quota(make.rng, len(domains), 0.20, hosted)
    ipv6 = _quota(make.rng, len(domains), 0.03, [p for p in hosted if p not in risky])
    k = make.server_no
    words = {p: RISKY[n % len(RISKY)] for n, p in enumerate(sorted(risky))}
    for p, domain in enumerate(domains):
        name = make.plain_name()
        if p in risky:
            word = words[p]
            name = f"{word}-{name.split('-', 1)[1]}"
        elif p in idn:
            stem, tld = IDN_STEMS[p % len(IDN_STEMS)]
            name = f"{stem}-{make.index}.{tld}"
        domain.name, domain.ascii_name = name, to_ascii(name)
        domain.ips = [f"127.0.2.{k}" if p in outside else f"127.0.1.{k}"]
        if p in ipv6:
            domain.ips.append("::1")
        if p in no_hosting:
            domain.htype = "none"
        if p in previous:
            domain.ssl = True
            domain.certificate_name = f"Previous CA {domain.ascii_name}"
            domain.previous_days_left = make.rng.randint(5, 120)


def _subdomains_and_aliases(make: _Maker, domains: list[Domain]) -> list[Alias]:
    hosted = [
        d
        for d in domains
        if d.kind == "webspace" and d.htype == "vrt_hst" and d.name == d.ascii_name
    ]
    count = round(len(domains) * 0.05) if len(domains) >= 20 else 0
    for parent in make.rng.sample(hosted, min(count, len(hosted))):
        label = make.rng.choice(SUBDOMAIN_LABELS)
        did = make.domain_id()
        domains.append(
            Domain(
                did,
                make.guid(),
                f"{label}.{parent.name}",
                f"{label}.{parent.ascii_name}",
                "subdomain",
                parent.webspace_id,
                parent.owner_id,
                ips=list(parent.ips),
                parent_id=parent.id,
                label=label,
                cr_date=parent.cr_date,
            )
        )
    aliases = []
    for site in make.rng.sample(hosted, min(count, len(hosted))):
        stem = site.ascii_name.split(".")[0]
        name = f"{stem}-alias.example"
        aliases.append(Alias(make.next_alias, site.id, name, name))
        make.next_alias += 1
    return aliases


def populate(server_no: int, n_sites: int, seed: int, first_index: int) -> Population:
    """The objects of server `server_no`; names are numbered from `first_index`."""
    make = _Maker(server_no, seed, first_index)
    resellers, customers = _accounts(make, n_sites)
    domains = _structure(make, n_sites, customers)
    _names_and_addresses(make, domains)
    aliases = _subdomains_and_aliases(make, domains)
    return Population(resellers, customers, domains, aliases)
