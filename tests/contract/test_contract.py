"""Request and answer examples written from the protocol reference, held against
both sides: the client must build exactly the example request and read the example
answer; the sandbox must accept the example request and answer in the example's
shape (same elements in the same order, same status, error code and text)."""

from xml.etree.ElementTree import canonicalize

import pytest
from lxml import etree

from apps.ca import errors
from apps.ca.errors import CertfleetError
from apps.fleet.plesk import packets
from tests.contract.cases import EXAMPLES, template
from tests.contract.sandbox_values import CA
from tests.contract.table import CASES
from tests.sandbox.plesk.conftest import post

_key, _cert, _chain = CA.issue("example.com")
OFFLINE = {
    "version": "1.6.9.1",
    "guid": "6f1e3c2a-5b1d-4c8e-9a77-2d41b5e0c9f3",
    "id": "12",
    "name": "example.com",
    "missing": "nope.example",
    "cert_name": "cf-example.com-20240501-3f9a",
    "key": _key,
    "cert": _cert,
    "chain": _chain,
    "txt": "gfj9Xq-Rg85nM",
    "record_id": "4919",
}
KEEP_TEXT = {"status", "errcode", "errtext"}
ids = [case.name for case in CASES]


def canonical(xml: bytes | str) -> str:
    text = xml.decode() if isinstance(xml, bytes) else xml
    text = text.split("?>", 1)[1] if text.startswith("<?xml") else text
    return canonicalize(xml_data=text, strip_text=True)


def shape(xml: str):
    """Element names in order (repeats of one shape counted once), with the text of
    status, errcode and errtext."""

    def walk(element):
        children: list = []
        for child in element:
            if isinstance(child.tag, str):
                form = walk(child)
                if not children or children[-1] != form:
                    children.append(form)
        text = (element.text or "").strip() if element.tag in KEEP_TEXT else None
        return (element.tag, text, tuple(children))

    return walk(etree.fromstring(xml.encode()))


def test_every_example_has_a_case():
    names = {p.name.split(".")[0] for p in EXAMPLES.glob("*.xml")}
    assert names == set(ids)


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_client_builds_the_example_request(case):
    expected = template(case.name, "request", OFFLINE)
    assert canonical(case.build(OFFLINE)) == canonical(expected)


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_client_reads_the_example_answer(case):
    body = template(case.name, "response", OFFLINE).encode()
    if not case.auth:
        with pytest.raises(CertfleetError) as caught:
            packets.parse(body)
        assert caught.value.code == errors.PLESK_AUTH
        return
    case.read(packets.parse(body), OFFLINE)


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_sandbox_answers_in_the_example_shape(case, fleet, client):
    srv = fleet.server(1)
    values = case.prepare(srv, client, OFFLINE)
    request = template(case.name, "request", values)
    status, body = post(srv, request, None if case.auth else {})
    assert status == 200
    assert shape(body) == shape(template(case.name, "response", values))
    if case.auth:
        case.read(packets.parse(body.encode()), values)
