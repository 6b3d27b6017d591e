"""The contract cases: for each example pair under examples/, how the client builds
that request, what it must read from that answer, and how to set up a sandbox
server so the same request can be sent to it."""

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from string import Template
from xml.etree.ElementTree import Element

from apps.fleet.models import Site
from apps.fleet.plesk import packets
from apps.fleet.plesk import sites as requests
from apps.fleet.plesk.results import Binding
from apps.fleet.services import remote

EXAMPLES = Path(__file__).parent / "examples"
_unique = itertools.count(1)


def site(v: dict, kind: str = "site") -> Site:
    return Site(name=v["name"], kind=kind, guid=v["guid"], plesk_id=int(v["id"]))


def template(name: str, part: str, values: dict) -> str:
    text = (EXAMPLES / f"{name}.{part}.xml").read_text()
    return Template(text).substitute(values)


@dataclass
class Case:
    name: str
    build: Callable[[dict], bytes]
    read: Callable[[Element, dict], None]  # asserts on the parsed answer
    # Picks a sandbox object (and sets up state); returns values for the templates.
    prepare: Callable[[object, object, dict], dict] | None = None
    auth: bool = True


def _packet(v: dict, block: Element, versioned: bool = True) -> bytes:
    return packets.packet(v["version"] if versioned else None, block)


def _results(root: Element) -> list[Element]:
    return packets.answers(root)[0]


# Readers ---------------------------------------------------------------------
def read_protos(root, v):
    protos = packets.protos(_results(root)[0])
    assert protos and all(p.count(".") == 3 for p in protos)


def read_server(root, v):
    facts = packets.server_facts(_results(root)[0])
    assert facts["guid"] and facts["plesk_version"]


def read_binding(root, v):
    props = packets.properties(_results(root)[0])
    assert props is not None and props["ssl"] in ("true", "false")


def read_no_hosting(root, v):
    assert packets.properties(_results(root)[0]) is None


def read_failure(code: int, text: str) -> Callable:
    def read(root, v):
        (result,) = _results(root)
        assert packets.failure(result) == (code, text)

    return read


def read_nothing(root, v):
    assert _results(root) == []


def read_ok(root, v):
    assert all(packets.failure(r) is None for r in _results(root))


def read_sites(root, v):
    snapshot = remote.Snapshot()
    found = [remote.parse_domain(snapshot, "site", r) for r in _results(root)]
    assert found and all(s.name and s.guid and s.webspace_id for s in found)
    assert not snapshot.skipped


def read_webspaces(root, v):
    snapshot = remote.Snapshot()
    found = [remote.parse_domain(snapshot, "webspace", r) for r in _results(root)]
    assert found and all(w.guid and w.owner_id and w.ips for w in found)


def read_accounts(kind: str, tag: str) -> Callable:
    def read(root, v):
        found = [remote.parse_account(kind, r, tag) for r in _results(root)]
        assert found and all(a.guid and a.login and a.name for a in found)

    return read


def read_ips(root, v):
    (result,) = _results(root)
    assert result.findall("addresses/ip_info/ip_address")


def read_attached(root, v):
    snapshot = remote.Snapshot()
    aliases = _results(root) if root[0].tag == "site-alias" else []
    subs = _results(root) if root[0].tag == "subdomain" else []
    found = remote.parse_attached(snapshot, aliases, subs)
    assert found and all(item.name for item in found)


def read_pool(root, v):
    assert v["cert_name"] in packets.pool_names(_results(root)[0])


def read_record_id(root, v):
    assert int(_results(root)[0].findtext("id")) > 0


def read_records(root, v):
    results = _results(root)
    assert results and all(r.findtext("data/host").endswith(".") for r in results)


def read_system_1029(root, v):
    raise AssertionError("a system error must raise while parsing")


# Builders: the client's own request functions --------------------------------
def _bind(kind: str) -> Callable[[dict], bytes]:
    return lambda v: _packet(v, requests.bind_request(site(v, kind), v["cert_name"]))


def _install(operation: str) -> Callable[[dict], bytes]:
    def build(v):
        return _packet(
            v,
            requests.install_request(
                site(v),
                v["cert_name"],
                v["key"],
                v["cert"],
                v["chain"],
                operation=operation,
            ),
        )

    return build


def build_unknown_certificate(v):
    return _packet(v, requests.bind_request(site(v), v["missing"]))


def build_restore(v):
    return _packet(v, requests.restore_request(site(v), Binding(True, v["cert_name"])))
