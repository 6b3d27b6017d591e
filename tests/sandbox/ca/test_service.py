"""The sandbox CA as a SOAP service: its WSDL and how it answers raw envelopes."""

import pytest
import requests
import zeep
from lxml import etree

from apps.ca.backends.transport import bundle_path
from apps.sandbox.ca import start_ca

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
NS = "https://system.globalsign.com/vc/ws/"


@pytest.fixture
def ca():
    authority = start_ca(probe_deadline=1.0)
    yield authority
    authority.stop()


@pytest.fixture
def http(ca):
    session = requests.Session()
    session.trust_env = False
    session.verify = bundle_path(ca.listener_ca_pem)
    yield session
    session.close()


def _post(http, ca, body: str) -> requests.Response:
    url = ca.wsdl_url.split("?")[0]
    return http.post(url, data=body.encode(), headers={"Content-Type": "text/xml"})


def _envelope(inner: str) -> str:
    return (
        f'<soap:Envelope xmlns:soap="{SOAP}" xmlns:v="{NS}"><soap:Body>'
        f"{inner}</soap:Body></soap:Envelope>"
    )


def _fault(response: requests.Response) -> tuple[str, str]:
    assert response.status_code == 500
    doc = etree.fromstring(response.content)
    fault = doc.find(f".//{{{SOAP}}}Fault")
    return fault.findtext("faultcode"), fault.findtext("faultstring")


def test_wsdl_has_the_four_operations_and_their_fields(ca, http):
    transport = zeep.Transport(session=http)
    client = zeep.Client(ca.wsdl_url, transport=transport)
    ops = client.wsdl.services["OneClickOrderService"].ports["OneClickOrderPort"]
    assert set(ops.binding._operations) == {
        "GSDomainVoucherCheckOC",
        "GSOneClickOrderTest",
        "GSOneClickOrderReal",
        "GSOneClickRevoke",
    }
    check = client.get_type(f"{{{NS}}}VoucherCheckRequest")
    assert [name for name, _ in check.elements] == [
        "Voucher",
        "VoucherOption",
        "DomainName",
        "Revoke",
        "Language",
        "PortNumber",
        "PlatformID",
        "KeyAlgorithm",
    ]
    header = client.get_type(f"{{{NS}}}OrderResponseHeader")
    assert [n for n, _ in header.elements] == ["SuccessCode", "Errors", "Timestamp"]
    error = client.get_type(f"{{{NS}}}Error")
    assert [n for n, _ in error.elements] == ["ErrorCode", "ErrorField", "ErrorMessage"]


def test_raw_post_gets_a_header_with_the_missing_field(ca, http):
    body = _envelope("<v:GSOneClickOrderTest><Request/></v:GSOneClickOrderTest>")
    response = _post(http, ca, body)
    doc = etree.fromstring(response.content)
    assert response.status_code == 200
    assert doc.findtext(".//SuccessCode") == "-1"
    assert doc.findtext(".//Error/ErrorCode") == "-102"
    assert doc.findtext(".//Error/ErrorField") == "OrderID"
    assert doc.findtext(".//Timestamp")


@pytest.mark.parametrize(
    "body, expected",
    [
        ("<soap:Envelope><unclosed>", "not well-formed"),
        (
            _envelope("<v:GSNoSuchThing><Request/></v:GSNoSuchThing>"),
            "unknown operation",
        ),
        (_envelope("<v:GSOneClickRevoke/>"), "no Request"),
        (_envelope(""), "exactly one operation"),
        (
            _envelope(
                "<v:GSDomainVoucherCheckOC><Request><PortNumber>https</PortNumber>"
                "</Request></v:GSDomainVoucherCheckOC>"
            ),
            "must be an integer",
        ),
    ],
)
def test_malformed_envelopes_get_a_client_fault(ca, http, body, expected):
    code, text = _fault(_post(http, ca, body))
    assert code == "soap:Client" and expected in text


def test_entities_are_refused_not_expanded(ca, http):
    body = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY big "AAAAAAAAAA">]>' + _envelope(
        "<v:GSOneClickRevoke><Request><OrderID>&big;</OrderID>"
        "</Request></v:GSOneClickRevoke>"
    )
    code, text = _fault(_post(http, ca, body))
    assert code == "soap:Client"
    assert "AAAAAAAAAA" not in text


def test_soap_1_2_envelope_is_a_version_mismatch(ca, http):
    body = (
        '<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope">'
        "<e:Body/></e:Envelope>"
    )
    code, _ = _fault(_post(http, ca, body))
    assert code == "soap:VersionMismatch"


def test_only_the_service_path_answers(ca, http):
    base = ca.wsdl_url.split("/vc/")[0]
    assert http.get(base + "/other?wsdl").status_code == 404
    assert http.get(ca.wsdl_url.split("?")[0]).status_code == 404
