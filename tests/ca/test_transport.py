"""Failures of the exchange itself, and the CA counting uses under concurrency."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from apps.ca import errors
from apps.ca.backends.voucher import VoucherBackend
from apps.ca.errors import CertfleetError

from .conftest import assert_code, authority_for
from .site import make_csr, make_key


def _check(backend, name="any.example") -> CertfleetError:
    with pytest.raises(CertfleetError) as caught:
        backend.check(voucher_code="SUPR-5000", name=name, email="a@b.c", port=443)
    return caught.value


@pytest.fixture
def voucher(ca):
    ca.add_voucher("SUPR-5000", "super", [], uses=10)


def test_stopped_ca_is_unreachable_and_transient(ca, voucher):
    backend = VoucherBackend(authority_for(ca))
    ca.stop()
    error = _check(backend)
    assert_code(error, errors.CA_UNREACHABLE)
    assert error.transient and "GSDomainVoucherCheckOC" in error.raw


def test_slow_ca_times_out_and_a_retry_succeeds(ca, flow, voucher):
    authority = authority_for(ca)
    authority.timeout = 0.5
    backend = VoucherBackend(authority)
    name = flow.name("slow.example")
    backend.check(voucher_code="SUPR-5000", name=name, email="a@b.c", port=443)
    ca.inject(latency=2.0, times=1)

    error = _check(backend, name)

    assert_code(error, errors.CA_TIMEOUT)
    assert error.transient
    assert backend.check(voucher_code="SUPR-5000", name=name, email="a@b.c", port=443)


def test_http_503_is_transient(backend, ca, voucher):
    ca.inject(http_status=503, times=1)
    error = _check(backend)
    assert_code(error, errors.CA_UNREACHABLE)
    assert error.transient and "HTTP 503" in error.raw


def test_answer_that_is_not_xml_is_malformed(backend, ca, voucher):
    ca.inject(malformed=True, times=1)
    error = _check(backend)
    assert_code(error, errors.CA_MALFORMED)
    assert error.transient and "<GSOneClick" in error.raw


def test_exactly_as_many_real_orders_win_as_the_voucher_has_uses(flow, ca):
    ca.add_voucher("SUPR-5001", "super", [], uses=2)
    ready = []
    for i in range(5):
        name = flow.name(f"race{i}.example")
        check, test, key, csr_pem = flow.temporary("SUPR-5001", name)
        ready.append((test.order_id, csr_pem))

    def real(order):
        try:
            return VoucherBackend(flow.backend.authority).order_real(*order)
        except CertfleetError as error:
            return error

    with ThreadPoolExecutor(5) as pool:
        outcomes = list(pool.map(real, ready))

    refused = [o for o in outcomes if isinstance(o, CertfleetError)]
    assert len(outcomes) - len(refused) == 2
    assert {e.code for e in refused} == {errors.VOUCHER_USED_UP}
    assert ca.uses_left("SUPR-5001") == 0


def test_real_order_is_answered_again_not_issued_twice(flow, ca):
    ca.add_voucher("SUPR-5002", "super", [], uses=2)
    name = flow.name("twice-real.example")
    check, test, key, csr_pem = flow.temporary("SUPR-5002", name)

    first = flow.backend.order_real(test.order_id, csr_pem)
    second = flow.backend.order_real(test.order_id, csr_pem)

    assert first.cert_pem == second.cert_pem
    assert ca.uses_left("SUPR-5002") == 1


def test_real_order_with_another_request_is_refused(flow, ca):
    ca.add_voucher("SUPR-5003", "super", [], uses=1)
    name = flow.name("swap.example")
    check, test, key, csr_pem = flow.temporary("SUPR-5003", name)

    with pytest.raises(CertfleetError) as caught:
        flow.backend.order_real(test.order_id, make_csr(make_key(), [name]))

    assert_code(caught.value, errors.PARAMETER_COMBINATION, "CSR")
