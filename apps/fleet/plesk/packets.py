"""Request packets the client sends and the parsing of their answers.

Builders return operator elements (e.g. <site><get>…</get></site>); `packet()` wraps
them. Answers are parsed with defusedxml: no DTDs, no entities, no network.
"""

from xml.etree.ElementTree import Element, SubElement, tostring

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from apps.ca import errors
from apps.fleet.plesk.errors import mask, plesk_error

XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def node(parent: Element, tag: str, text: object = None) -> Element:
    child = SubElement(parent, tag)
    if text is not None:
        child.text = str(text)
    return child


def operator(name: str, operation: str) -> tuple[Element, Element]:
    block = Element(name)
    return block, node(block, operation)


def packet(version: str | None, *blocks: Element) -> bytes:
    root = Element("packet")
    if version:
        root.set("version", version)
    root.extend(blocks)
    return XML_DECLARATION + tostring(root, encoding="unicode").encode()


def operations(body: bytes) -> list[tuple[str, str]]:
    """(operator, operation) pairs of a request, in order."""
    root = SafeET.fromstring(body)
    return [(block.tag, op.tag) for block in root for op in block]


# Builders ----------------------------------------------------------------
def get_protos() -> Element:
    return operator("server", "get_protos")[0]


def server_info() -> Element:
    block, get = operator("server", "get")
    node(get, "gen_info")
    node(get, "stat")
    return block


def get_by(kind: str, filters: list[tuple[str, object]], dataset: list[str]) -> Element:
    """<kind><get><filter>…</filter><dataset>…</dataset></get></kind>."""
    block, get = operator(kind, "get")
    where = node(get, "filter")
    for tag, value in filters:
        node(where, tag, value)
    if dataset is not None:
        data = node(get, "dataset")
        for tag in dataset:
            node(data, tag)
    return block


def set_hosting(
    kind: str, filters: list[tuple[str, object]], properties: list[tuple[str, str]]
) -> Element:
    block, op = operator(kind, "set")
    where = node(op, "filter")
    for tag, value in filters:
        node(where, tag, value)
    vrt = node(node(node(op, "values"), "hosting"), "vrt_hst")
    for name, value in properties:
        prop = node(vrt, "property")
        node(prop, "name", name)
        node(prop, "value", value)
    return block


def install(
    operation: str,
    name: str,
    target: tuple[str, str],
    key_pem: str,
    cert_pem: str,
    chain_pem: str,
    csr_pem: str = "",
) -> Element:
    """certificate/install (or update): csr may be empty, pvt, cert and ca filled."""
    block, op = operator("certificate", operation)
    node(op, "name", name)
    node(op, target[0], target[1])
    content = node(op, "content")
    node(content, "csr", csr_pem.strip() or None)
    node(content, "pvt", key_pem.strip())
    node(content, "cert", cert_pem.strip())
    node(content, "ca", chain_pem.strip())
    return block


def remove(names: list[str], target: tuple[str, str]) -> Element:
    block, op = operator("certificate", "remove")
    where = node(op, "filter")
    for name in names:
        node(where, "name", name)
    node(op, target[0], target[1])
    return block


def get_pool(domain_names: list[str]) -> Element:
    block, op = operator("certificate", "get-pool")
    where = node(op, "filter")
    for name in domain_names:
        node(where, "domain-name", name)
    return block


def add_record(site_id: int, kind: str, host: str, value: str) -> Element:
    block, op = operator("dns", "add_rec")
    node(op, "site-id", site_id)
    node(op, "type", kind)
    node(op, "host", host)
    node(op, "value", value)
    return block


def delete_records(record_ids: list[int]) -> Element:
    block, op = operator("dns", "del_rec")
    where = node(op, "filter")
    for record_id in record_ids:
        node(where, "id", record_id)
    return block


# Parsing -----------------------------------------------------------------
def parse(body: bytes) -> Element:
    """The answer's root, or PLESK_MALFORMED (also for DTDs and entities)."""
    raw = mask(body[:4000].decode("utf-8", "replace"))
    try:
        root = SafeET.fromstring(body)
    except (SafeET.ParseError, DefusedXmlException, ValueError) as exc:
        raise errors.CertfleetError(
            errors.PLESK_MALFORMED, str(exc)[:200], raw=raw
        ) from None
    if root.tag != "packet":
        raise errors.CertfleetError(
            errors.PLESK_MALFORMED, f"answer is <{root.tag}>, not <packet>", raw=raw
        )
    system = root.find("system")
    if system is not None and system.findtext("status") == "error":
        code = _int(system.findtext("errcode"))
        raise plesk_error(code, system.findtext("errtext") or "", raw)
    return root


def answers(root: Element) -> list[list[Element]]:
    """Results of each operation of the answer, in the order they were asked."""
    return [list(op.findall("result")) for block in root for op in block]


def failure(result: Element) -> tuple[int, str] | None:
    if result.findtext("status") == "error":
        return _int(result.findtext("errcode")), result.findtext("errtext") or ""
    return None


def _int(text: str | None) -> int:
    try:
        return int(text or 0)
    except ValueError:
        return 0


def protos(result: Element) -> list[str]:
    return [p.text.strip() for p in result.findall("protos/proto") if p.text]


def properties(result: Element) -> dict[str, str] | None:
    """Hosting properties of a get result; None when the object has no vrt_hst."""
    vrt = result.find("data/hosting/vrt_hst")
    if vrt is None:
        return None
    return {
        p.findtext("name") or "": p.findtext("value") or ""
        for p in vrt.findall("property")
    }


def pool_names(result: Element) -> list[str]:
    return [
        c.findtext("name") or "" for c in result.findall("certificates/certificate")
    ]


def server_facts(result: Element) -> dict[str, str]:
    """Name, GUID, Plesk version and OS from a server/get result."""
    os_parts = [
        result.findtext("stat/version/plesk_os") or "",
        result.findtext("stat/version/plesk_os_version") or "",
    ]
    return {
        "name": result.findtext("gen_info/server_name") or "",
        "guid": result.findtext("gen_info/server_guid") or "",
        "plesk_version": result.findtext("stat/version/plesk_version") or "",
        "os": " ".join(p for p in os_parts if p),
    }
