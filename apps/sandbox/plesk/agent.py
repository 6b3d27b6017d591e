"""agent.php of one sandbox server: check-up, validation and execution of packets.

Check-up order follows the reference: protocol version, authentication, packet
validity; a failed check-up answers with a system error packet and runs nothing.
"""

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from xml.sax.saxutils import escape

from lxml import etree

from apps.sandbox.plesk import (
    faults as fault_texts,
)
from apps.sandbox.plesk import (
    ops_certificates,
    ops_dns,
    ops_domains,
    ops_server,
)
from apps.sandbox.plesk.faults import FaultPlan
from apps.sandbox.plesk.schema import SchemaError, check
from apps.sandbox.plesk.schemas import packet_schema, served_operators
from apps.sandbox.plesk.state import ServerState
from apps.sandbox.plesk.xmlout import Context, ResultError, error

logger = logging.getLogger(__name__)

HANDLERS = {
    **ops_server.HANDLERS,
    **ops_domains.HANDLERS,
    **ops_certificates.HANDLERS,
    **ops_dns.HANDLERS,
}
# Codes a real server reports at check-up, as a <system> packet.
SYSTEM_CODES = {1001, 1003, 1004, 1005, 1006, 1010, 1011, 1012, 1014, 1029, 1030, 11003}
PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    huge_tree=False,
    remove_comments=True,
)


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/xml;charset=UTF-8"
    hang: float = 0.0  # hold the connection this long, then drop it unanswered


class CheckupError(Exception):
    def __init__(self, code: int, text: str) -> None:
        super().__init__(text)
        self.code, self.text = code, text


def system_packet(version: str, code: int, text: str) -> bytes:
    return (
        f'<?xml version="1.0"?>\n\t<packet version="{escape(version)}">\n'
        f"\t\t<system>\n\t\t\t<status>error</status>\n"
        f"\t\t\t<errcode>{code}</errcode>\n"
        f"\t\t\t<errtext>{escape(text)}</errtext>\n"
        f"\t\t</system>\n\t</packet>\n"
    ).encode()


def _parse(body: bytes):
    try:
        root = etree.fromstring(body, PARSER)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 1
        return None, f"Error in line {line}: {exc.msg}"
    if root.getroottree().docinfo.doctype:
        return None, "Error in line 1: DTD is not allowed in requests"
    return root, ""


def _operations(root) -> list[tuple[str, str]]:
    if root is None:
        return []
    return [
        (operator.tag, op.tag)
        for operator in root
        if isinstance(operator.tag, str)
        for op in operator
        if isinstance(op.tag, str)
    ]


class Agent:
    def __init__(self, state: ServerState, faults: FaultPlan) -> None:
        self.state = state
        self.faults = faults

    def answer(self, body: bytes, headers: Mapping[str, str]) -> Answer:
        root, parse_error = _parse(body)
        operations = _operations(root)
        transport = self._transport_fault(operations)
        if transport is not None:
            return transport
        requested = root.get("version") if root is not None else None
        version = self.state.identity.release.resolve(requested)
        echo = requested or self.state.identity.release.protocol
        try:
            if version is None:
                raise CheckupError(
                    1005,
                    f"Protocol version '{requested}' is not "
                    "supported. Current protocol version is "
                    f"'{self.state.identity.release.protocol}'",
                )
            self._authenticate(headers)
            self._validate(root, parse_error, version)
            self._system_fault(operations)
        except CheckupError as exc:
            return Answer(body=system_packet(echo, exc.code, exc.text))
        response = self._execute(root, version, echo)
        pretty = (headers.get("HTTP_PRETTY_PRINT") or "").upper() == "TRUE"
        text = etree.tostring(response, encoding="UTF-8", pretty_print=pretty)
        return Answer(body=b'<?xml version="1.0" encoding="UTF-8"?>\n' + text)

    def _transport_fault(self, operations) -> Answer | None:
        slow = self.faults.take({"latency"}, operations)
        if slow is not None:
            time.sleep(slow.seconds)
        fault = self.faults.take({"hang", "http", "malformed", "hostile"}, operations)
        if fault is None:
            return None
        if fault.kind == "hang":
            return Answer(hang=fault.seconds or 60.0)
        if fault.kind == "http":
            page = f"<html><body><h1>{fault.status} Error</h1></body></html>"
            return Answer(fault.status, page.encode(), "text/html")
        if fault.kind == "malformed":
            return Answer(body=fault_texts.MALFORMED)
        bomb = fault.style == "entities"
        return Answer(
            body=fault_texts.BILLION_LAUGHS if bomb else fault_texts.EXTERNAL_ENTITY
        )

    def _authenticate(self, headers: Mapping[str, str]) -> None:
        ident = self.state.identity
        key = headers.get("KEY")
        login, password = (
            headers.get("HTTP_AUTH_LOGIN"),
            headers.get("HTTP_AUTH_PASSWD"),
        )
        if key is not None:
            if key != ident.secret_key:
                detail = (
                    "key is not found"
                    if ident.release.new_secret_key_text
                    else "Invalid secret key usage. Please check logs for details."
                )
                raise CheckupError(
                    11003, f"PleskAPIInvalidSecretKeyException : {detail}"
                )
        elif login is not None and password is not None:
            if (login, password) != (ident.login, ident.password):
                raise CheckupError(1001, "Authentication failed")
        else:
            raise CheckupError(1029, "Authentication method is not specified")

    def _validate(self, root, parse_error: str, version: str) -> None:
        prefix = "Parser error: Request is invalid. "
        if root is None:
            raise CheckupError(1014, prefix + parse_error)
        if root.tag != "packet":
            raise CheckupError(
                1014,
                prefix + f"Error in line {root.sourceline}: "
                f"Element '{root.tag}': No matching global declaration "
                "available for the validation root.",
            )
        try:
            check(root, packet_schema(version))
        except SchemaError as exc:
            raise CheckupError(1014, prefix + str(exc)) from None

    def _system_fault(self, operations) -> None:
        fault = self.faults.take(
            {"error"}, operations, where=lambda f: f.code in SYSTEM_CODES
        )
        if fault is not None:
            raise CheckupError(fault.code, fault.text or "Injected error")

    def _execute(self, root, version: str, echo: str):
        response = etree.Element("packet", version=echo)
        served = served_operators(version)
        for operator in root:
            if not isinstance(operator.tag, str) or operator.tag == "request-settings":
                continue
            out_operator = etree.SubElement(response, operator.tag)
            for op in operator:
                if isinstance(op.tag, str):
                    out = etree.SubElement(out_operator, op.tag)
                    self._run(operator.tag, op, out, version, served)
        self.faults.served += 1
        return response

    def _run(self, operator: str, op, out, version: str, served: set[str]) -> None:
        pair = [(operator, op.tag)]
        injected = self.faults.take({"error"}, pair)
        if injected is not None:
            error(out, injected.code, injected.text or "Injected error")
            return
        handler = HANDLERS.get((operator, op.tag))
        if handler is None or operator not in served:
            error(out, 1017, "This operation is not supported by the sandbox")
            return
        ctx = Context(
            self.state, version, swallow=self.faults.take({"swallow"}, pair) is not None
        )
        with self.state.lock:
            try:
                handler(ctx, op, out)
            except ResultError as exc:
                error(out, exc.code, exc.text)
            except Exception:
                logger.exception(
                    "sandbox server %s failed on %s/%s",
                    self.state.identity.name,
                    operator,
                    op.tag,
                )
                error(out, 1023, "Operation failed")
