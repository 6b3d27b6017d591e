"""Codes about certificates the CA issued before: reissue, renewal, use, revocation."""

import datetime as dt

import pytest
from cryptography import x509

from apps.ca import errors
from apps.ca.errors import CertfleetError

from .conftest import assert_code


def _serial(cert_pem: str) -> int:
    return x509.load_pem_x509_certificate(cert_pem.encode()).serial_number


def _refused(call, *args, **kw) -> CertfleetError:
    with pytest.raises(CertfleetError) as caught:
        call(*args, **kw)
    return caught.value


def _check(flow, voucher, name, **kw):
    kw.setdefault("email", "a@b.example")
    kw.setdefault("port", flow.site.port)
    return flow.backend.check(voucher_code=voucher, name=name, **kw)


def test_same_name_again_is_a_reissue_without_a_use_until_the_daily_limit(flow, ca):
    ca.add_voucher("SITE-4000", "site", [], uses=1, bound_name="re.example")
    name = flow.name("re.example")
    ca.reissue_daily_limit = 2
    first = flow.redeem("SITE-4000", name)
    reissues = [flow.redeem("SITE-4000", name) for _ in range(2)]

    error = _refused(_check, flow, "SITE-4000", name)

    assert_code(error, errors.REISSUE_DAILY_LIMIT, "Voucher")
    serials = {_serial(r.cert_pem) for r in [first, *reissues]}
    assert len(serials) == 3 and ca.uses_left("SITE-4000") == 0
    ca.advance(dt.timedelta(hours=25))
    assert _check(flow, "SITE-4000", name).order_id


def test_reissue_after_the_original_expired_is_9005(flow, ca):
    ca.add_voucher(
        "SITE-4001", "site", [], uses=1, bound_name="gone.example", certificate_days=1
    )
    name = flow.name("gone.example")
    flow.redeem("SITE-4001", name)
    ca.advance(dt.timedelta(days=2))

    error = _refused(_check, flow, "SITE-4001", name)

    assert_code(error, errors.REISSUE_ORIGINAL_EXPIRED, "Voucher")


def test_voucher_without_uses_for_a_new_name_is_4005(flow, ca):
    ca.add_voucher("SUPR-4002", "super", [], uses=1)
    flow.redeem("SUPR-4002", flow.name("one.example"))

    error = _refused(_check, flow, "SUPR-4002", flow.name("two.example"))

    assert_code(error, errors.VOUCHER_USED_UP, "Voucher")


@pytest.mark.parametrize(
    "purpose, code",
    [
        ("renewal", errors.RENEWAL_ORIGINAL_GONE),
        ("reissue", errors.REISSUE_ORIGINAL_GONE),
    ],
)
def test_follow_up_voucher_whose_original_is_revoked(flow, ca, purpose, code):
    ca.add_voucher("SUPR-4003", "super", [], uses=1)
    name = flow.name("orig.example")
    serial = _serial(flow.redeem("SUPR-4003", name).cert_pem)
    ca.add_voucher(
        "NEXT-4003", "site", [], uses=1, purpose=purpose, original_serial=serial
    )
    assert _check(flow, "NEXT-4003", name).order_id  # the original is still live

    _, test, _, _ = flow.temporary(format(serial, "x"), name, revoke=True)
    flow.backend.revoke(test.order_id)
    error = _refused(_check, flow, "NEXT-4003", name)

    assert_code(error, code, "Voucher")


def test_revoking_an_unknown_serial_is_9007(flow, ca):
    name = flow.name("nothing.example")
    for serial in ("0100011617904c9e", "01 00 01 16 17 90 4c 9e"):
        error = _refused(_check, flow, serial, name, revoke=True)
        assert_code(error, errors.SERIAL_UNKNOWN, "Voucher")


def test_revoking_an_expired_certificate_is_9008(flow, ca):
    ca.add_voucher("SUPR-4004", "super", [], uses=1, certificate_days=1)
    name = flow.name("expired.example")
    serial = _serial(flow.redeem("SUPR-4004", name).cert_pem)
    ca.advance(dt.timedelta(days=2))

    error = _refused(_check, flow, format(serial, "016x"), name, revoke=True)

    assert_code(error, errors.CANNOT_REVOKE, "Voucher")


def test_revoking_twice_is_6029(flow, ca):
    ca.add_voucher("SUPR-4005", "super", [], uses=1)
    name = flow.name("twice.example")
    serial = _serial(flow.redeem("SUPR-4005", name).cert_pem)
    # Two revoke-mode runs prove control; the first one to finish revokes.
    _, first, _, _ = flow.temporary(format(serial, "x"), name, revoke=True)
    _, second, _, _ = flow.temporary(format(serial, "X"), name, revoke=True)
    flow.backend.revoke(second.order_id)

    error = _refused(flow.backend.revoke, first.order_id)
    assert_code(error, errors.ALREADY_REVOKED, "OrderID")
    error = _refused(_check, flow, format(serial, "x"), name, revoke=True)
    assert_code(error, errors.ALREADY_REVOKED, "Voucher")


def test_revoking_with_a_name_the_certificate_lacks_is_105(flow, ca):
    ca.add_voucher("SUPR-4006", "super", [], uses=1)
    serial = _serial(flow.redeem("SUPR-4006", flow.name("mine.example")).cert_pem)

    error = _refused(
        _check, flow, format(serial, "x"), flow.name("theirs.example"), revoke=True
    )

    assert_code(error, errors.PARAMETER_COMBINATION, "DomainName")
