"""Read what a Plesk server holds, in a few batched packets.

Packet one lists resellers, customers, IPs, subscriptions (general info), aliases and
subdomains. Then, per chunk of subscriptions, one packet asks for their hosting
(binding) and their add-on sites with hosting, so progress can be shown and no
single answer grows without bound.
"""

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from apps.core import names
from apps.fleet.plesk import PleskClient, packets

logger = logging.getLogger(__name__)

CHUNK = 250
ADMIN_ID = 1

Progress = Callable[[int, int], None]


@dataclass
class RemoteAccount:
    kind: str  # reseller | customer
    plesk_id: int
    guid: str
    login: str
    name: str
    email: str
    owner_id: int = ADMIN_ID


@dataclass
class RemoteSite:
    kind: str  # webspace | site | subdomain | alias
    plesk_id: int
    guid: str
    name: str  # A-label
    display_name: str
    webspace_id: int | None = None
    webspace_guid: str = ""
    owner_id: int = ADMIN_ID  # the subscription's owner (webspaces only)
    parent_id: int | None = None  # aliases, subdomains: the domain they belong to
    parent_name: str = ""  # subdomains: as Plesk names the parent
    ips: list[str] = field(default_factory=list)
    htype: str = "vrt_hst"
    ssl: bool = False
    certificate_name: str = ""


@dataclass
class Snapshot:
    resellers: list[RemoteAccount] = field(default_factory=list)
    customers: list[RemoteAccount] = field(default_factory=list)
    ip_addresses: list[dict[str, str]] = field(default_factory=list)
    domains: list[RemoteSite] = field(default_factory=list)  # webspaces and sites
    attached: list[RemoteSite] = field(default_factory=list)  # aliases, subdomains
    packets: int = 0
    skipped: list[str] = field(default_factory=list)


def _int(text: str | None, default: int = 0) -> int:
    try:
        return int(text or default)
    except ValueError:
        return default


def _ok(client: PleskClient, results: list[Element]) -> list[Element]:
    """Successful results; errors other than "not found" raise."""
    good = []
    for result in results:
        failed = packets.failure(result)
        if failed is None:
            good.append(result)
        elif failed[0] != 1013:
            client.check(result)
    return good


def parse_account(kind: str, result: Element, info_tag: str) -> RemoteAccount:
    info = result.find(f"data/{info_tag}")
    text = info.findtext if info is not None else (lambda tag: "")
    return RemoteAccount(
        kind=kind,
        plesk_id=_int(result.findtext("id")),
        guid=text("guid") or "",
        login=text("login") or "",
        name=text("cname") or text("pname") or "",
        email=text("email") or "",
        owner_id=_int(text("owner-id"), ADMIN_ID),
    )


# Plain host names (no A-labels) are already in their one form; the idna
# round trip is only needed for the rest.
_PLAIN = re.compile(r"^(?!.*(?:^|\.)..--)[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?$")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def _plain(name: str) -> bool:
    labels = name.split(".")
    return (
        len(labels) > 1
        and not labels[-1].isdigit()  # an IP address is not a name
        and _PLAIN.match(name) is not None
        and all(_LABEL.match(label) for label in labels)
    )


def _names(snapshot: Snapshot, ascii_name: str, unicode_name: str) -> tuple[str, str]:
    candidate = (ascii_name or unicode_name).strip().rstrip(".").lower()
    if _plain(candidate):
        return candidate, candidate
    try:
        name = names.to_ascii(ascii_name or unicode_name)
    except names.InvalidName as exc:
        snapshot.skipped.append(f"{unicode_name}: {exc}")
        return "", ""
    return name, names.to_unicode(name)


def parse_domain(snapshot: Snapshot, kind: str, result: Element) -> RemoteSite | None:
    info = result.find("data/gen_info")
    if info is None:
        return None
    name, display = _names(
        snapshot, info.findtext("ascii-name") or "", info.findtext("name") or ""
    )
    if not name:
        return None
    plesk_id = _int(result.findtext("id"))
    webspace = kind == "webspace"
    return RemoteSite(
        kind=kind,
        plesk_id=plesk_id,
        guid=info.findtext("guid") or "",
        name=name,
        display_name=display,
        webspace_id=plesk_id if webspace else _int(info.findtext("webspace-id")),
        webspace_guid=(
            info.findtext("guid") if webspace else info.findtext("webspace-guid")
        )
        or "",
        owner_id=_int(info.findtext("owner-id"), ADMIN_ID),
        ips=[ip.text.strip() for ip in info.findall("dns_ip_address") if ip.text],
        htype=info.findtext("htype") or "",
    )


def _apply_hosting(site: RemoteSite, result: Element) -> None:
    props = packets.properties(result)
    hosting = result.find("data/hosting")
    if hosting is not None and len(hosting):
        site.htype = hosting[0].tag
    if props is None:
        site.ssl, site.certificate_name = False, ""
        return
    site.ssl = props.get("ssl") == "true"
    site.certificate_name = props.get("certificate_name", "")
    ips = [
        ip.text.strip()
        for ip in result.findall("data/hosting/vrt_hst/ip_address")
        if ip.text
    ]
    site.ips = ips or site.ips


def _first_packet(client: PleskClient, snapshot: Snapshot) -> list[Element]:
    answers = client.send(
        packets.get_by("reseller", [], ["gen-info"]),
        packets.get_by("customer", [], ["gen_info"]),
        packets.operator("ip", "get")[0],
        packets.get_by("webspace", [], ["gen_info"]),
        packets.get_by("site-alias", [], None),
        packets.get_by("subdomain", [], None),
    )
    snapshot.packets += 1
    resellers, customers, ips, webspaces, aliases, subdomains = (
        _ok(client, results) for results in answers
    )
    snapshot.resellers = [parse_account("reseller", r, "gen-info") for r in resellers]
    snapshot.customers = [parse_account("customer", r, "gen_info") for r in customers]
    snapshot.ip_addresses = [
        {
            "address": (info.findtext("ip_address") or "").strip(),
            "type": info.findtext("type") or "",
        }
        for r in ips
        for info in r.findall("addresses/ip_info")
    ]
    snapshot.domains = [
        d for r in webspaces if (d := parse_domain(snapshot, "webspace", r))
    ]
    snapshot.attached = parse_attached(snapshot, aliases, subdomains)
    return webspaces


def parse_attached(snapshot: Snapshot, aliases, subdomains) -> list[RemoteSite]:
    found: list[RemoteSite] = []
    for result in aliases:
        info = result.find("info")
        name, display = _names(
            snapshot, info.findtext("ascii-name") or "", info.findtext("name") or ""
        )
        if name:
            found.append(
                RemoteSite(
                    "alias",
                    _int(result.findtext("id")),
                    "",
                    name,
                    display,
                    parent_id=_int(info.findtext("site-id")),
                )
            )
    for result in subdomains:
        data = result.find("data")
        full = f"{data.findtext('name')}.{data.findtext('parent')}"
        name, display = _names(snapshot, full, full)
        if not name:
            continue
        props = {
            p.findtext("name"): p.findtext("value") or ""
            for p in data.findall("property")
        }
        found.append(
            RemoteSite(
                "subdomain",
                _int(result.findtext("id")),
                "",
                name,
                display,
                parent_id=None,
                ssl=props.get("ssl") == "true",
                certificate_name=props.get("certificate_name", ""),
                parent_name=data.findtext("parent") or "",
            )
        )
    return found


def read_server(client: PleskClient, progress: Progress | None = None) -> Snapshot:
    """Everything the sync needs from one server."""
    snapshot = Snapshot()
    _first_packet(client, snapshot)
    webspaces = {d.plesk_id: d for d in snapshot.domains}
    ids = list(webspaces)
    if progress:
        progress(0, len(ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        hosting, sites = client.send(
            packets.get_by("webspace", [("id", i) for i in chunk], ["hosting"]),
            packets.get_by(
                "site", [("parent-id", i) for i in chunk], ["gen_info", "hosting"]
            ),
        )
        snapshot.packets += 1
        for result in _ok(client, hosting):
            site = webspaces.get(_int(result.findtext("id")))
            if site is not None:
                _apply_hosting(site, result)
        for result in _ok(client, sites):
            site = parse_domain(snapshot, "site", result)
            if site is not None:
                _apply_hosting(site, result)
                site.owner_id = (
                    webspaces[site.webspace_id].owner_id
                    if (site.webspace_id in webspaces)
                    else ADMIN_ID
                )
                snapshot.domains.append(site)
        if progress:
            progress(min(start + CHUNK, len(ids)), len(ids))
    _resolve_subdomain_parents(snapshot)
    return snapshot


def _resolve_subdomain_parents(snapshot: Snapshot) -> None:
    """Subdomains and aliases take their parent's id, subscription and addresses."""
    by_name = {d.name: d for d in snapshot.domains}
    by_id = {d.plesk_id: d for d in snapshot.domains}
    for item in snapshot.attached:
        if item.kind == "subdomain":
            parent_name, _ = _names(snapshot, item.parent_name, item.parent_name)
            parent = by_name.get(parent_name)
            item.parent_id = parent.plesk_id if parent else None
        else:
            parent = by_id.get(item.parent_id) if item.parent_id else None
        if parent is not None:
            item.ips = list(parent.ips)
            item.webspace_id = parent.webspace_id
            item.webspace_guid = parent.webspace_guid
