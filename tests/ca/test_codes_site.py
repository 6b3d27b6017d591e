"""Codes from the CA looking at the site: DNS answers and the TLS probe."""

import socket
import threading

import pytest

from apps.ca import errors
from apps.ca.errors import CertfleetError

from .conftest import assert_code
from .site import make_csr, make_key, self_signed


@pytest.fixture
def voucher(ca):
    ca.add_voucher("SUPR-2000", "super", [], uses=3)
    return "SUPR-2000"


def _check(backend, name, voucher="SUPR-2000", port=443):
    with pytest.raises(CertfleetError) as caught:
        backend.check(voucher_code=voucher, name=name, email="a@b.example", port=port)
    return caught.value


def test_name_missing_from_dns_is_3012(backend, voucher):
    error = _check(backend, "never-registered.example")
    assert_code(error, errors.DNS_NAME_NOT_FOUND, "DomainName")


def test_name_without_address_records_is_3013(backend, dns, voucher):
    dns.set_addresses("text-only.example", [])
    record = dns.add_txt("text-only.example", "v=spf1 -all")
    try:
        error = _check(backend, "text-only.example")
    finally:
        dns.remove_txt(record)
    assert_code(error, errors.DNS_NO_ADDRESS, "DomainName")


def test_dns_that_does_not_answer_is_3019(backend, ca, flow, voucher):
    name = flow.name("silent.example")
    silent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    silent.bind(("127.0.0.1", 0))
    try:
        ca.set_dns(silent.getsockname())
        error = _check(backend, name)
    finally:
        silent.close()
    assert_code(error, errors.DNS_NOT_RESOLVING, "DomainName")


def test_site_serving_another_certificate_is_9002(flow, ca, voucher):
    name = flow.name("elsewhere.example")
    check, test, key, csr_pem = flow.temporary(voucher, name)
    other_pem, other_key = self_signed(name)
    flow.site.serve(name, other_pem, other_key)  # the temporary one was replaced

    with pytest.raises(CertfleetError) as caught:
        flow.backend.order_real(test.order_id, csr_pem)

    assert_code(caught.value, errors.TEMP_CERT_NOT_SEEN)
    assert ca.uses_left(voucher) == 3


def test_closed_https_port_is_3008(flow, ca, voucher):
    name = flow.name("closed.example")
    closed = socket.create_server((flow.site.host, 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there any more: connections are refused
    check = flow.backend.check(
        voucher_code=voucher, name=name, email="a@b.example", port=port
    )
    key = make_key("ECC", check.key_length)
    csr_pem = make_csr(key, [name])
    test = flow.backend.order_test(check.order_id, csr_pem)

    with pytest.raises(CertfleetError) as caught:
        flow.backend.order_real(test.order_id, csr_pem)

    assert_code(caught.value, errors.CA_CANNOT_CONNECT, "PortNumber")
    assert ca.uses_left(voucher) == 3


def test_probe_uses_the_custom_port(flow, ca, voucher):
    """The site's TLS port is a non-standard one: the CA looks exactly there."""
    name = flow.name("custom-port.example")
    done = flow.redeem(voucher, name, port=flow.site.port)
    assert done.cert_pem
    assert ca.uses_left(voucher) == 2


def test_ipv6_only_name_is_probed_over_ipv6(backend, ca, dns, tmp_path, voucher):
    from .conftest import Flow
    from .site import Site

    site = Site(tmp_path, "::1")
    try:
        flow = Flow(backend, ca, dns, site)
        name = flow.name("v6-only.example", "::1")
        done = flow.redeem(voucher, name)
    finally:
        site.stop()
    assert done.cert_pem and ca.uses_left(voucher) == 2


def test_probe_keeps_looking_until_the_temporary_certificate_appears(flow, ca, voucher):
    name = flow.name("late.example")
    check = flow.backend.check(
        voucher_code=voucher, name=name, email="a@b.example", port=flow.site.port
    )
    key = make_key("ECC", check.key_length)
    csr_pem = make_csr(key, [name])
    test = flow.backend.order_test(check.order_id, csr_pem)
    old_pem, old_key = self_signed(name)
    flow.site.serve(name, old_pem, old_key)  # still the previous certificate
    later = threading.Timer(
        0.3, flow.site.serve, (name, test.cert_pem, key, test.chain_pems)
    )
    later.start()
    try:
        real = flow.backend.order_real(test.order_id, csr_pem)
    finally:
        later.join()
    assert real.cert_pem and ca.uses_left(voucher) == 2
