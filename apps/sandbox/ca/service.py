"""The four OneClickSSL operations: a SOAP request in, an answer out."""

import logging

from . import issuing, soap
from .desk import Desk
from .rules import Refusal

logger = logging.getLogger(__name__)


def _check(desk: Desk, req: dict) -> bytes:
    order, warning = desk.voucher_check(req)
    fields = {"OrderID": order.order_id, "KeyLength": order.key_length}
    if warning:
        errors = [(warning.code, warning.field, warning.message)]
        return soap.response("GSDomainVoucherCheckOC", 1, errors, fields)
    return soap.response("GSDomainVoucherCheckOC", 0, [], fields)


def _test(desk: Desk, req: dict) -> bytes:
    test = issuing.order_test(desk, req.get("OrderID", ""), req.get("CSR", ""))
    chain = [("INTER", desk.temporary.pem)]
    return soap.response(
        "GSOneClickOrderTest",
        0,
        [],
        {"OrderID": test.order_id},
        (test.temp_pem, chain),
    )


def _real(desk: Desk, req: dict) -> bytes:
    order_id = req.get("OrderID", "")
    issued = issuing.order_real(desk, order_id, req.get("CSR", ""))
    chain = [("INTER", desk.intermediate.pem), ("ROOT", desk.root.pem)]
    return soap.response(
        "GSOneClickOrderReal",
        0,
        [],
        {"OrderID": order_id},
        (issued.cert_pem, chain),
    )


def _revoke(desk: Desk, req: dict) -> bytes:
    issuing.revoke(desk, req.get("OrderID", ""))
    return soap.response("GSOneClickRevoke", 0, [])


_HANDLERS = {
    "GSDomainVoucherCheckOC": _check,
    "GSOneClickOrderTest": _test,
    "GSOneClickOrderReal": _real,
    "GSOneClickRevoke": _revoke,
}


def answer(desk: Desk, body: bytes) -> tuple[int, bytes]:
    """HTTP status and body for one SOAP request."""
    try:
        operation, req = soap.parse(body)
    except soap.Fault as error:
        return 500, soap.fault(error)
    if operation != "GSDomainVoucherCheckOC":
        missing = [f for f in _required(operation) if not req.get(f)]
        if missing:
            errors = [(-102, missing[0], "Mandatory parameter missing.")]
            return 200, soap.response(operation, -1, errors)
    try:
        return 200, _HANDLERS[operation](desk, req)
    except Refusal as refusal:
        logger.info("sandbox CA refused %s: %s", operation, refusal)
        errors = [(refusal.code, refusal.field, refusal.message)]
        return 200, soap.response(operation, -1, errors)
    except Exception:
        logger.exception("sandbox CA failed on %s", operation)
        return 500, soap.fault(soap.Fault("soap:Server", "internal error"))


def _required(operation: str) -> tuple[str, ...]:
    return ("OrderID",) if operation == "GSOneClickRevoke" else ("OrderID", "CSR")
