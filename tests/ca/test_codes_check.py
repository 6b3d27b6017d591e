"""Codes the voucher CA answers to a voucher check: parameters and voucher rules."""

import datetime as dt

import pytest

from apps.ca import errors
from apps.ca.backends.voucher import VoucherBackend
from apps.ca.errors import CertfleetError

from .conftest import assert_code, authority_for


def _check(backend, name, voucher="SUPR-1000", **kw):
    kw.setdefault("email", "ops@example.test")
    kw.setdefault("port", 443)
    with pytest.raises(CertfleetError) as caught:
        backend.check(voucher_code=voucher, name=name, **kw)
    return caught.value


@pytest.fixture
def named(flow, ca):
    ca.add_voucher("SUPR-1000", "super", ["127.0.2.0/24"], uses=5)
    return flow.name("shop.example")


@pytest.mark.parametrize(
    "override, field",
    [
        ({"language": "xx"}, "Language"),
        ({"key_algorithm": "DSA"}, "KeyAlgorithm"),
        ({"port": 70000}, "PortNumber"),
    ],
)
def test_invalid_value_is_101(backend, named, override, field):
    assert_code(_check(backend, named, **override), errors.INVALID_PARAMETER, field)


def test_unknown_platform_is_101(ca, named):
    authority = authority_for(ca)
    authority.platform_id = "999"
    error = _check(VoucherBackend(authority), named)
    assert_code(error, errors.INVALID_PARAMETER, "PlatformID")


def test_super_and_trial_vouchers_need_an_email_102(backend, ca, named):
    ca.add_voucher("TRIAL-0001", "trial", [], uses=1, certificate_days=30)
    for code in ("SUPR-1000", "TRIAL-0001"):
        error = _check(backend, named, voucher=code, email="")
        assert_code(error, errors.MISSING_PARAMETER, "VoucherOption")
    ca.add_voucher("SITE-0001", "site", [], uses=1, bound_name=named)
    assert backend.check(voucher_code="SITE-0001", name=named, email="", port=443)


def test_missing_name_is_102(backend, named):
    assert_code(_check(backend, ""), errors.MISSING_PARAMETER, "DomainName")


def test_overlong_label_is_103(backend, named):
    error = _check(backend, "a" * 64 + ".example")
    assert_code(error, errors.PARAMETER_LENGTH, "DomainName")


@pytest.mark.parametrize(
    "name, email, field",
    [
        ("bad_name!.example", "ops@example.test", "DomainName"),
        ("shop.example", "not-an-address", "VoucherOption"),
    ],
)
def test_bad_format_is_104(backend, named, name, email, field):
    assert_code(_check(backend, name, email=email), errors.PARAMETER_FORMAT, field)


def test_ecc_key_on_an_rsa_only_platform_is_105(ca, named):
    ca.add_voucher("CPNL-0001", "super", [], uses=1, platform="cpanel")
    backend = VoucherBackend(authority_for(ca, platform="cpanel"))
    error = _check(backend, named, voucher="CPNL-0001", key_algorithm="ECC")
    assert_code(error, errors.PARAMETER_COMBINATION, "KeyAlgorithm")
    assert (
        backend.check(
            voucher_code="CPNL-0001",
            name=named,
            email="a@b.example",
            port=443,
            key_algorithm="RSA",
        ).key_length
        == 2048
    )


def test_ip_address_as_name_is_9004(backend, named):
    assert_code(_check(backend, "127.0.2.10"), errors.IP_AS_NAME, "DomainName")


def test_unknown_voucher_is_9001_but_lookalikes_match(backend, ca, named):
    assert_code(_check(backend, named, voucher="SUPR-9999"), errors.VOUCHER_UNKNOWN)
    ca.add_voucher("ABCD-0011", "super", [], uses=1)
    found = backend.check(
        voucher_code=" abcd ool1 ", name=named, email="a@b.example", port=443
    )
    assert found.order_id


def test_expired_voucher_is_9011(backend, ca, named):
    yesterday = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    ca.add_voucher("OLD-0001", "super", [], uses=1, expires_at=yesterday)
    assert_code(_check(backend, named, voucher="OLD-0001"), errors.VOUCHER_EXPIRED)


def test_cancelled_voucher_is_9026(backend, ca, named):
    ca.cancel_voucher("SUPR-1000")
    assert_code(_check(backend, named), errors.VOUCHER_CANCELLED, "Voucher")


def test_voucher_for_another_platform_is_9018(backend, ca, named):
    ca.add_voucher("IIS-0001", "super", [], uses=1, platform="iis")
    error = _check(backend, named, voucher="IIS-0001")
    assert_code(error, errors.WRONG_PLATFORM, "PlatformID")


def test_name_other_than_the_bound_one_is_9003(backend, ca, flow):
    ca.add_voucher("SITE-0002", "site", [], uses=1, bound_name="shop.example")
    ca.add_voucher("SITE-0003", "site", [], uses=1, bound_name="www.shop.example")
    flow.name("shop.example")
    flow.name("www.shop.example")

    # "shop.example" covers only itself; "www.shop.example" covers both forms.
    error = _check(backend, "www.shop.example", voucher="SITE-0002")
    assert_code(error, errors.NAME_NOT_VOUCHER_NAME, "DomainName")
    for name in ("shop.example", "www.shop.example"):
        assert backend.check(voucher_code="SITE-0003", name=name, email="", port=443)


@pytest.mark.parametrize(
    "networks, address",
    [
        (["127.0.2.0/24"], "127.0.3.5"),
        (["127.0.2.1-127.0.2.9"], "127.0.2.10"),
        (["fd00:1::/64"], "fd00:2::5"),
        (["127.0.2.0/24", "fd00:1::1-fd00:1::ff"], "fd00:1::1:0"),
    ],
)
def test_address_outside_the_voucher_networks_is_9019(
    backend, ca, flow, networks, address
):
    ca.add_voucher("NET-0001", "super", networks, uses=1)
    name = flow.name("ranged.example", address)
    error = _check(backend, name, voucher="NET-0001")
    assert_code(error, errors.IP_OUT_OF_RANGE, "DomainName")
    assert address in error.detail


@pytest.mark.parametrize(
    "networks, address",
    [
        (["127.0.2.1-127.0.2.10"], "127.0.2.10"),
        (["fd00:1::/64"], "fd00:1::5"),
    ],
)
def test_address_inside_a_range_or_network_passes(backend, ca, flow, networks, address):
    ca.add_voucher("NET-0002", "super", networks, uses=1)
    name = flow.name("inside.example", address)
    assert backend.check(voucher_code="NET-0002", name=name, email="a@b.c", port=443)
