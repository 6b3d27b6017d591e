"""Codes the CA answers to test and real orders: the request, high risk, account."""

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID

from apps.ca import errors
from apps.ca.errors import CertfleetError

from .conftest import assert_code
from .site import make_csr, make_key


@pytest.fixture
def opened(flow, ca):
    """A voucher check that went through, for the name shop.example."""
    ca.add_voucher("SUPR-3000", "super", [], uses=3)
    name = flow.name("shop.example")
    return flow.backend.check(
        voucher_code="SUPR-3000", name=name, email="a@b.example", port=flow.site.port
    )


def _test_order(backend, order_id, csr_pem):
    with pytest.raises(CertfleetError) as caught:
        backend.order_test(order_id, csr_pem)
    return caught.value


def test_unreadable_request_is_6001(backend, opened):
    error = _test_order(backend, opened.order_id, "-----BEGIN CERTIFICATE REQUEST-----")
    assert_code(error, errors.CSR_UNPARSABLE, "CSR")


def test_distinguished_name_over_1024_bytes_is_6019(backend, opened):
    units = [
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, f"{i:02d}" + "u" * 60)
        for i in range(16)
    ]
    csr_pem = make_csr(make_key(), ["shop.example"], units)
    error = _test_order(backend, opened.order_id, csr_pem)
    assert_code(error, errors.DN_TOO_LONG, "CSR")


def test_unsupported_country_is_9935(backend, opened):
    country = [x509.NameAttribute(NameOID.COUNTRY_NAME, "KP")]
    csr_pem = make_csr(make_key(), ["shop.example"], country)
    error = _test_order(backend, opened.order_id, csr_pem)
    assert_code(error, errors.COUNTRY_UNSUPPORTED, "CSR")


def test_request_for_other_names_is_9016(backend, opened):
    csr_pem = make_csr(make_key(), ["shop.example", "admin.shop.example"])
    error = _test_order(backend, opened.order_id, csr_pem)
    assert_code(error, errors.CSR_NAME_MISMATCH, "CSR")
    assert "admin.shop.example" in error.detail


def test_bound_name_without_www_refuses_the_www_form_in_the_request(flow, ca):
    ca.add_voucher("SITE-3001", "site", [], uses=1, bound_name="bare.example")
    name = flow.name("bare.example")
    check = flow.backend.check(voucher_code="SITE-3001", name=name, email="", port=443)
    csr_pem = make_csr(make_key(), [name, "www." + name])
    error = _test_order(flow.backend, check.order_id, csr_pem)
    assert_code(error, errors.CSR_NAME_MISMATCH, "CSR")


def test_key_of_an_issued_certificate_is_6007(flow, ca, opened):
    done = flow.redeem("SUPR-3000", "shop.example")
    again = flow.backend.check(
        voucher_code="SUPR-3000", name="shop.example", email="a@b.example", port=443
    )
    error = _test_order(flow.backend, again.order_id, done.csr_pem)
    assert_code(error, errors.KEY_REUSED, "CSR")


def test_high_risk_name_is_held_as_a_warning_until_approved(flow, ca):
    ca.add_voucher("SUPR-3002", "super", [], uses=1)
    name = flow.name("mybank-login.example")

    check = flow.backend.check(
        voucher_code="SUPR-3002", name=name, email="a@b.example", port=flow.site.port
    )

    assert check.order_id and check.warning is not None
    assert_code(check.warning, errors.HIGH_RISK_NAME, "DomainName")
    key = make_key("ECC", check.key_length)
    csr_pem = make_csr(key, [name])
    held = _test_order(flow.backend, check.order_id, csr_pem)
    assert_code(held, errors.HIGH_RISK_NAME, "OrderID")
    assert ca.uses_left("SUPR-3002") == 1

    ca.approve(check.order_id)
    test = flow.backend.order_test(check.order_id, csr_pem)
    flow.site.serve(name, test.cert_pem, key, test.chain_pems)
    assert flow.backend.order_real(test.order_id, csr_pem).cert_pem
    assert ca.uses_left("SUPR-3002") == 0


@pytest.mark.parametrize(
    "account, code",
    [
        ({"card_valid": False}, errors.CARD_INVALID),
        ({"credit": False}, errors.NO_CREDIT),
        ({"deposit": False}, errors.NO_DEPOSIT),
    ],
)
def test_account_problems_are_991x(flow, ca, account, code):
    ca.add_voucher("SUPR-3003", "super", [], uses=1)
    name = flow.name("account.example")
    ca.set_account(**account)
    with pytest.raises(CertfleetError) as caught:
        flow.backend.check(
            voucher_code="SUPR-3003", name=name, email="a@b.example", port=443
        )
    assert_code(caught.value, code)


def test_missing_request_is_102(backend, opened):
    error = _test_order(backend, opened.order_id, "")
    assert_code(error, errors.MISSING_PARAMETER, "CSR")


def test_unknown_order_is_101(backend, opened):
    error = _test_order(backend, "OC000000000000", make_csr(make_key(), ["x.example"]))
    assert_code(error, errors.INVALID_PARAMETER, "OrderID")
