"""Every injected fault and error packet ends in the catalogue code a user sees."""

import time

import pytest

from apps.ca import errors
from apps.ca.errors import CertfleetError
from apps.fleet.plesk import PleskClient
from apps.fleet.plesk.errors import plesk_error
from tests.fleet.certs import TestCA
from tests.fleet.conftest import config_for, site_row


@pytest.fixture
def srv(fleet):
    server = fleet.server(1)
    server.faults.clear()
    yield server
    server.faults.clear()


def a_site(srv, kind="site"):
    return site_row(
        next(
            d
            for d in srv.state.domains.values()
            if d.kind == kind and d.htype == "vrt_hst"
        )
    )


def code_of(call) -> int:
    with pytest.raises(CertfleetError) as caught:
        call()
    return caught.value.code


@pytest.mark.parametrize(
    ("plesk", "ours"),
    [
        (1001, errors.PLESK_AUTH),
        (1006, errors.PLESK_AUTH),
        (11003, errors.PLESK_AUTH),
        (1029, errors.PLESK_AUTH),
        (1013, errors.PLESK_NOT_FOUND),
        (1015, errors.PLESK_NOT_FOUND),
        (1005, errors.PLESK_UNSUPPORTED),
        (1017, errors.PLESK_UNSUPPORTED),
        (1014, errors.PLESK_REJECTED),
        (8002, errors.PLESK_REJECTED),
        (8006, errors.PLESK_CONFLICT),
        (1024, errors.PLESK_LIMIT),
        (1023, errors.PLESK_FAILED),
        (4242, errors.PLESK_FAILED),
    ],
)
def test_every_plesk_code_has_a_catalogue_code(plesk, ours):
    error = plesk_error(plesk, "text")
    assert error.code == ours
    assert str(plesk) in error.detail and error.info.advice


@pytest.mark.parametrize(
    ("code", "ours"),
    [
        (1006, errors.PLESK_AUTH),
        (1013, errors.PLESK_NOT_FOUND),
        (1017, errors.PLESK_UNSUPPORTED),
        (1024, errors.PLESK_LIMIT),
        (1023, errors.PLESK_FAILED),
    ],
)
def test_error_packets_over_the_wire(srv, client_of, code, ours):
    srv.faults.error_packet("site", "get", code, "injected", times=1)
    client = client_of(srv)
    assert code_of(lambda: client.hosting_binding(a_site(srv))) == ours
    assert "injected" in client.last_exchange.response
    assert client.hosting_binding(a_site(srv)).ssl in (True, False)  # used up


def test_latency_is_waited_for(srv, client_of):
    srv.faults.latency(0.3)
    client = client_of(srv)
    started = time.monotonic()
    client.get_protos()
    assert time.monotonic() - started >= 0.3


def test_a_hanging_read_times_out_after_retries(srv, client_of):
    srv.faults.hang(30, operator="site", operation="get")
    client = client_of(srv, timeout=0.5, retries=1, backoff=0.05)
    started = time.monotonic()
    assert code_of(lambda: client.hosting_binding(a_site(srv))) == errors.PLESK_TIMEOUT
    assert 1.0 <= time.monotonic() - started < 5  # two attempts


def test_a_hanging_change_is_not_sent_twice(srv, client_of):
    fault = srv.faults.hang(30, operator="site", operation="set", times=2)
    client = client_of(srv, timeout=0.5, retries=3)
    assert code_of(lambda: client.bind_certificate(a_site(srv), "x")) == (
        errors.PLESK_TIMEOUT
    )
    assert fault.times == 1  # one attempt only


def test_503_is_retried_and_then_succeeds(srv, client_of):
    srv.faults.http_error(503, times=1)
    assert client_of(srv, retries=1).get_protos()


def test_500_on_a_change_is_not_retried(srv, client_of):
    ca = TestCA()
    site = a_site(srv)
    fault = srv.faults.http_error(
        500, operator="certificate", operation="install", times=2
    )
    client = client_of(srv, retries=3)
    assert (
        code_of(lambda: client.install_certificate(site, "x", *ca.issue(site.name)))
        == errors.PLESK_UNREACHABLE
    )
    assert fault.times == 1
    assert errors.CertfleetError(errors.PLESK_UNREACHABLE).transient


def test_malformed_answer(srv, client_of):
    srv.faults.malformed()
    client = client_of(srv)
    assert code_of(client.get_protos) == errors.PLESK_MALFORMED


@pytest.mark.parametrize("style", ["entities", "external"])
def test_hostile_answers_are_not_expanded(srv, client_of, style):
    srv.faults.hostile(style=style)
    client = client_of(srv)
    started = time.monotonic()
    with pytest.raises(CertfleetError) as caught:
        client.get_protos()
    assert caught.value.code == errors.PLESK_MALFORMED
    assert time.monotonic() - started < 2
    assert "root:" not in caught.value.raw + caught.value.detail


def test_a_swallowed_bind_answers_ok_but_changes_nothing(fleet, srv, client_of):
    site = a_site(srv)
    before = fleet.binding(site.name)
    srv.faults.swallow("site", "set", times=1)
    client_of(srv).bind_certificate(site, before.certificate_name or "")
    assert fleet.binding(site.name) == before


def test_closed_port_is_unreachable_after_retries(srv):
    import socket

    probe = socket.socket()
    probe.bind((srv.identity.host, 0))
    port = probe.getsockname()[1]
    probe.close()
    client = PleskClient(config_for(srv, port=port, retries=1))
    try:
        assert code_of(client.get_protos) == errors.PLESK_UNREACHABLE
    finally:
        client.close()


def test_something_else_on_the_port_is_malformed(srv):
    from apps.sandbox.plesk.pki import fingerprint_sha256

    client = PleskClient(
        config_for(
            srv,
            port=srv.https_port,
            fingerprint_sha256=fingerprint_sha256(srv.default.cert_pem),
        )
    )
    try:
        assert code_of(client.get_protos) == errors.PLESK_MALFORMED
    finally:
        client.close()


def test_old_protocol_without_certificates_is_unsupported():
    from apps.fleet.plesk.protocol import choose_protocol

    with pytest.raises(CertfleetError) as caught:
        choose_protocol(["1.6.3.5", "1.6.5.0", "1.6.6.0"])
    assert caught.value.code == errors.PLESK_UNSUPPORTED
    assert choose_protocol(["1.6.7.0", "1.6.10.0", "1.6.9.1", "1.6.8.0"]) == "1.6.9.1"
