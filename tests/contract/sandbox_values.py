"""Values for the example templates, taken from (and arranged on) a sandbox server."""

import itertools

from apps.fleet.plesk import PleskClient
from tests.contract.cases import site
from tests.fleet.certs import TestCA

_taken: set[int] = set()
_serial = itertools.count(1)
CA = TestCA()


def _domain(srv, kind: str = "site", hosted: bool = True, with_children=None):
    for domain in srv.state.domains.values():
        if domain.id in _taken or domain.kind not in kind.split("|"):
            continue
        if hosted != (domain.htype == "vrt_hst"):
            continue
        children = srv.state.index.children.get(domain.id, [])
        sites = [d for d in children if d.kind == "site"]
        if with_children is not None and bool(sites) != with_children:
            continue
        if any(d.htype != "vrt_hst" for d in sites):
            continue
        _taken.add(domain.id)
        return domain
    raise LookupError(kind)


def values(srv, kind="site", hosted=True, with_children=None) -> dict:
    domain = _domain(srv, kind, hosted, with_children)
    key, cert, chain = CA.issue(domain.ascii_name)
    return {
        "version": srv.identity.release.protocol,
        "guid": domain.guid,
        "id": str(domain.id),
        "name": domain.ascii_name,
        "missing": "nowhere-to-be-found.example",
        "cert_name": f"cf-contract-{next(_serial)}",
        "key": key,
        "cert": cert,
        "chain": chain,
        "txt": "contract-token",
        "record_id": "0",
    }


def plain(srv, client: PleskClient, offline: dict) -> dict:
    return values(srv)


def webspace(srv, client: PleskClient, offline: dict) -> dict:
    return values(srv, kind="webspace")


def no_hosting(srv, client: PleskClient, offline: dict) -> dict:
    # site/get finds a subscription's main domain too
    return values(srv, kind="site|webspace", hosted=False)


def lonely_webspace(srv, client: PleskClient, offline: dict) -> dict:
    return values(srv, kind="webspace", with_children=False)


def parent_webspace(srv, client: PleskClient, offline: dict) -> dict:
    return values(srv, kind="webspace", with_children=True)


def installed(srv, client: PleskClient, offline: dict, kind: str = "site") -> dict:
    v = values(srv, kind=kind)
    client.install_certificate(
        site(v, kind), v["cert_name"], v["key"], v["cert"], v["chain"]
    )
    return v


def installed_webspace(srv, client: PleskClient, offline: dict) -> dict:
    return installed(srv, client, offline, kind="webspace")


def with_record(srv, client: PleskClient, offline: dict) -> dict:
    v = values(srv, kind="webspace")
    v["record_id"] = str(client.add_txt_record(site(v, "webspace"), "_x", "y"))
    return v
