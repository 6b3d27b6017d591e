"""SOAP 1.1 envelopes in and out of the sandbox CA, with lxml.

Incoming XML is parsed with entities, DTDs and network access off; anything that is
not a well-formed envelope with one known operation is a SOAP fault.
"""

import datetime as dt

from lxml import etree

from .wsdl import NAMESPACE, OPERATIONS

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
)
_INT_FIELDS = {"Revoke", "PortNumber"}


class Fault(Exception):
    """A malformed request: answered with soap:Fault, not with a header code."""

    def __init__(self, code: str, text: str):
        self.code = code
        self.text = text
        super().__init__(text)


def parse(body: bytes) -> tuple[str, dict]:
    """The operation name and its Request fields as a dict of str/int."""
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise Fault("soap:Client", f"not well-formed XML: {exc}") from exc
    if root.getroottree().docinfo.doctype:
        raise Fault("soap:Client", "a DOCTYPE is not allowed")
    if root.tag != f"{{{SOAP_ENV}}}Envelope":
        raise Fault("soap:VersionMismatch", "expected a SOAP 1.1 Envelope")
    soap_body = root.find(f"{{{SOAP_ENV}}}Body")
    if soap_body is None or len(soap_body) != 1:
        raise Fault("soap:Client", "the Body must hold exactly one operation")
    call = soap_body[0]
    qname = etree.QName(call)
    if qname.namespace != NAMESPACE or qname.localname not in OPERATIONS:
        raise Fault("soap:Client", f"unknown operation {qname.text}")
    request = call.find("Request")
    if request is None:
        raise Fault("soap:Client", f"{qname.localname} has no Request element")
    return qname.localname, _fields(request)


def _fields(request: etree._Element) -> dict:
    fields: dict = {}
    for child in request:
        if not isinstance(child.tag, str):
            continue  # comments and processing instructions
        name = etree.QName(child).localname
        text = child.text or ""
        if name in _INT_FIELDS:
            try:
                fields[name] = int(text.strip())
            except ValueError as exc:
                raise Fault("soap:Client", f"{name} must be an integer") from exc
        else:
            fields[name] = text
    return fields


def _sub(parent: etree._Element, tag: str, text: str | int | None = None):
    element = etree.SubElement(parent, tag)
    if text is not None:
        element.text = str(text)
    return element


def _envelope(operation: str) -> tuple[etree._Element, etree._Element]:
    envelope = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soap": SOAP_ENV})
    body = etree.SubElement(envelope, f"{{{SOAP_ENV}}}Body")
    wrapper = etree.SubElement(
        body, f"{{{NAMESPACE}}}{operation}Response", nsmap={"tns": NAMESPACE}
    )
    return envelope, _sub(wrapper, "Response")


def response(
    operation: str,
    success: int,
    errors: list[tuple[int, str, str]],
    fields: dict | None = None,
    fulfillment: tuple[str, list[tuple[str, str]]] | None = None,
) -> bytes:
    """An answer: the header, then simple fields, then the certificate block."""
    envelope, resp = _envelope(operation)
    header = _sub(resp, "OrderResponseHeader")
    _sub(header, "SuccessCode", success)
    if errors:
        holder = _sub(header, "Errors")
        for code, field, message in errors:
            error = _sub(holder, "Error")
            _sub(error, "ErrorCode", code)
            _sub(error, "ErrorField", field)
            _sub(error, "ErrorMessage", message)
    _sub(header, "Timestamp", dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    for name, value in (fields or {}).items():
        _sub(resp, name, value)
    if fulfillment:
        cert_pem, ca_certs = fulfillment
        block = _sub(_sub(resp, "OneClickOrderDetail"), "Fulfillment")
        holder = _sub(block, "CACertificates")
        for kind, pem in ca_certs:
            ca_cert = _sub(holder, "CACertificate")
            _sub(ca_cert, "CACertType", kind)
            _sub(ca_cert, "CACert", pem)
        _sub(_sub(block, "ServerCertificate"), "X509Cert", cert_pem)
    return etree.tostring(envelope, xml_declaration=True, encoding="utf-8")


def fault(error: Fault) -> bytes:
    envelope = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soap": SOAP_ENV})
    body = etree.SubElement(envelope, f"{{{SOAP_ENV}}}Body")
    node = etree.SubElement(body, f"{{{SOAP_ENV}}}Fault")
    _sub(node, "faultcode", error.code)
    _sub(node, "faultstring", error.text)
    return etree.tostring(envelope, xml_declaration=True, encoding="utf-8")
