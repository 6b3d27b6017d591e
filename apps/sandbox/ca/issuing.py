"""Test orders, real orders and revocation at the sandbox CA.

A test order issues the temporary certificate. The real order and the revocation
first look at the site (probe.require_served) and act only once the site serves
exactly that temporary certificate.
"""

import datetime as dt

from cryptography.hazmat.primitives import serialization

from . import csr as csr_reader
from .book import Issued, covered_names, voucher_key
from .desk import Desk, Order
from .pki import issue_leaf, serial_number
from .probe import require_served
from .rules import Refusal

PEM = serialization.Encoding.PEM
TEMPORARY_DAYS = 7


def _allowed_names(desk: Desk, check: Order) -> set[str]:
    if check.revoke_serial is not None:
        return set(desk.book.issued[check.revoke_serial].names)
    assert check.voucher is not None
    if check.voucher.bound_name:
        return covered_names(check.voucher.bound_name)
    bare = check.name[4:] if check.name.startswith("www.") else check.name
    return {bare, "www." + bare}


def _vet(desk: Desk, check: Order, request: csr_reader.Request) -> None:
    if check.name not in request.names:
        raise Refusal(-9016, "CSR", f"{check.name} is not in the request")
    extra = set(request.names) - _allowed_names(desk, check)
    if check.voucher is not None and check.voucher.allow_san:
        extra = {name for name in extra if name.startswith("*.")}
    if extra:
        raise Refusal(-9016, "CSR", ", ".join(sorted(extra)))
    if request.algorithm != check.key_algorithm:
        raise Refusal(-101, "CSR", f"{check.key_algorithm} key expected")
    if request.key_length < check.key_length:
        raise Refusal(-101, "CSR", f"key shorter than {check.key_length} bits")
    owner = desk.book.public_keys.get(request.public_key_der)
    if owner is not None:
        raise Refusal(-6007, "CSR", f"key of certificate {owner}")


def order_test(desk: Desk, order_id: str, csr_pem: str) -> Order:
    """GSOneClickOrderTest: the temporary certificate for the check order's name."""
    with desk.lock:
        check = desk.orders.get(order_id)
        if check is None or check.check_id:
            raise Refusal(-101, "OrderID", "not a voucher check order")
        if check.held:
            raise Refusal(-5001, "OrderID", "held for manual review")
    request = csr_reader.read(csr_pem)
    with desk.lock:
        for test_id in check.tests:
            earlier = desk.orders[test_id]
            if earlier.request and earlier.request.der == request.der:
                return earlier  # the same request again: the same answer
        _vet(desk, check, request)
        now = dt.datetime.now(dt.UTC)
        names = [check.name] + [n for n in request.names if n != check.name]
        temp = issue_leaf(
            desk.temporary,
            request.public_key,
            names,
            now - dt.timedelta(minutes=5),
            now + dt.timedelta(days=TEMPORARY_DAYS),
        )
        test = Order(
            desk.new_order_id(),
            check.name,
            check.port,
            check.key_algorithm,
            check.key_length,
            voucher=check.voucher,
            revoke_serial=check.revoke_serial,
            check_id=check.order_id,
            request=request,
            temp_der=temp.public_bytes(serialization.Encoding.DER),
            temp_pem=temp.public_bytes(PEM).decode(),
        )
        desk.orders[test.order_id] = test
        check.tests.append(test.order_id)
    return test


def _test_order(desk: Desk, order_id: str) -> tuple[Order, Order]:
    with desk.lock:
        test = desk.orders.get(order_id)
        if test is None or not test.check_id:
            raise Refusal(-101, "OrderID", "not a test order")
        check = desk.orders[test.check_id]
        if check.held:
            raise Refusal(-5001, "OrderID", "held for manual review")
    return check, test


def _look(desk: Desk, test: Order) -> None:
    require_served(
        desk.resolver,
        test.name,
        test.port,
        test.temp_der,
        desk.probe_deadline,
        desk.probe_interval,
    )


def order_real(desk: Desk, order_id: str, csr_pem: str) -> Issued:
    """GSOneClickOrderReal: after the probe, the real certificate; spends a use."""
    check, test = _test_order(desk, order_id)
    if check.revoke_serial is not None:
        raise Refusal(-105, "OrderID", "this order was opened to revoke")
    request = csr_reader.read(csr_pem)
    assert test.request is not None and check.voucher is not None
    if request.der != test.request.der:
        raise Refusal(-105, "CSR", "not the request of the test order")
    with desk.lock:
        if test.real_serial is not None:
            return desk.book.issued[test.real_serial]
        desk.usage(check.voucher, check.name)
    _look(desk, test)
    with desk.lock:
        if test.real_serial is not None:
            return desk.book.issued[test.real_serial]
        return _issue(desk, check, test, request)


def _issue(desk: Desk, check: Order, test: Order, request) -> Issued:
    voucher = check.voucher
    if voucher.cancelled:
        raise Refusal(-9026, "Voucher")
    reissue = desk.usage(voucher, check.name)
    owner = desk.book.public_keys.get(request.public_key_der)
    if owner is not None:
        raise Refusal(-6007, "CSR", f"key of certificate {owner}")
    now = dt.datetime.now(dt.UTC)
    names = [check.name] + [n for n in request.names if n != check.name]
    cert = issue_leaf(
        desk.intermediate,
        request.public_key,
        names,
        now - dt.timedelta(minutes=5),
        now + dt.timedelta(days=voucher.certificate_days),
        serial_number(),
    )
    previous = desk.book.previous_for(voucher, check.name)
    if reissue and previous:
        previous.superseded = True
    else:
        voucher.used += 1
    issued = Issued(
        serial=cert.serial_number,
        names=names,
        voucher_key=voucher_key(voucher.code),
        not_after=desk.now() + (cert.not_valid_after_utc - now),
        issued_at=desk.now(),
        cert_pem=cert.public_bytes(PEM).decode(),
        reissue=reissue,
    )
    desk.book.issued[issued.serial] = issued
    desk.book.public_keys[request.public_key_der] = format(issued.serial, "016x")
    test.real_serial = issued.serial
    return issued


def revoke(desk: Desk, order_id: str) -> Issued:
    """GSOneClickRevoke: after the same probe as a real order, revoke the serial."""
    check, test = _test_order(desk, order_id)
    if check.revoke_serial is None:
        raise Refusal(-105, "OrderID", "this order was not opened to revoke")
    _revocable(desk, check.revoke_serial)
    _look(desk, test)
    with desk.lock:
        cert = _revocable(desk, check.revoke_serial)
        cert.revoked = True
    return cert


def _revocable(desk: Desk, serial: int) -> Issued:
    with desk.lock:
        cert = desk.book.issued[serial]
        if cert.revoked:
            raise Refusal(-6029, "OrderID")
        if cert.not_after <= desk.now():
            raise Refusal(-9008, "OrderID")
        return cert
