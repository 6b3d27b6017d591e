"""The client against sandbox servers of three Plesk generations, over real TLS."""

import socket
import ssl

import pytest
from cryptography import x509

from apps.ca import errors
from apps.ca.errors import CertfleetError
from apps.fleet.plesk import Binding, fetch_fingerprint
from tests.fleet.certs import TestCA
from tests.fleet.conftest import site_row


def served_subject(ip: str, port: int, name: str) -> str:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # we look at what is served
    with (
        socket.create_connection((ip, port), timeout=5) as raw,
        context.wrap_socket(raw, server_hostname=name) as tls,
    ):
        der = tls.getpeercert(binary_form=True)
    return x509.load_der_x509_certificate(der).subject.rfc4514_string()


@pytest.fixture(scope="module")
def ca():
    return TestCA()


TAKEN: set[tuple[str, int]] = set()


def fresh_site(srv, kind: str = "site"):
    """A hosted site on the shared address with no certificate, once per test."""
    for domain in srv.state.domains.values():
        key = (srv.identity.name, domain.id)
        if (
            domain.kind == kind
            and domain.htype == "vrt_hst"
            and not domain.ssl
            and domain.ips[0] == srv.identity.host
            and not domain.certificate_name
            and key not in TAKEN
            and "::1" not in domain.ips  # kept for the IPv6 test
        ):
            TAKEN.add(key)
            return domain
    raise LookupError(kind)


@pytest.mark.parametrize("number", [1, 2, 3])
@pytest.mark.parametrize("kind", ["site", "webspace"])
def test_install_bind_restore_remove_round_trip(fleet, client_of, ca, number, kind):
    srv = fleet.server(number)
    domain = fresh_site(srv, kind)
    site = site_row(domain)
    client = client_of(srv)
    before = client.hosting_binding(site)
    assert before == Binding(ssl=False, certificate_name="")

    key_pem, cert_pem, chain_pem = ca.issue(site.name)
    client.install_certificate(site, "cf-test-1", key_pem, cert_pem, chain_pem)
    assert "cf-test-1" in client.certificate_pool(site)
    # Installing is not binding.
    assert served_subject(srv.identity.host, srv.https_port, site.name) != (
        f"CN={site.name}"
    )

    client.bind_certificate(site, "cf-test-1")
    assert client.hosting_binding(site) == Binding(True, "cf-test-1")
    assert served_subject(srv.identity.host, srv.https_port, site.name) == (
        f"CN={site.name}"
    )

    client.restore_binding(site, before)
    client.remove_certificate(site, "cf-test-1")
    assert client.hosting_binding(site) == before
    assert client.certificate_pool(site) == []
    assert fleet.binding(site.name).certificate_name == ""


def test_protocol_is_the_highest_known_compared_numerically(fleet, client_of):
    assert [client_of(fleet.server(n)).protocol_version() for n in (1, 2, 3)] == [
        "1.6.9.1",
        "1.6.8.0",
        "1.6.7.0",
    ]


def test_server_info_reads_version_and_guid(fleet, client_of):
    info = client_of(fleet.server(2)).server_info()
    assert info.plesk_version == "17.0.17"
    assert info.guid == fleet.server(2).identity.guid
    assert info.name == "plesk2.sandbox.test"


def test_login_and_password_work_too(fleet, client_of):
    srv = fleet.server(1)
    client = client_of(
        srv, auth="password", login=srv.identity.login, secret=srv.identity.password
    )
    assert client.server_info().guid == srv.identity.guid
    assert srv.identity.password not in client.last_exchange.request


def test_wrong_key_is_auth_error(fleet, client_of):
    with pytest.raises(CertfleetError) as caught:
        client_of(fleet.server(1), secret="not-the-key").get_protos()
    assert caught.value.code == errors.PLESK_AUTH
    assert "11003" in caught.value.detail


def test_wrong_fingerprint_is_refused_before_sending(fleet, client_of):
    srv = fleet.server(1)
    wrong = "AA:" * 31 + "AA"
    served_before = srv.faults.served
    with pytest.raises(CertfleetError) as caught:
        client_of(srv, fingerprint_sha256=wrong).get_protos()
    assert caught.value.code == errors.PLESK_TLS_MISMATCH
    assert srv.faults.served == served_before


def test_ca_bundle_trust(fleet, client_of):
    srv = fleet.server(1)
    trusted = client_of(srv, fingerprint_sha256="", ca_bundle=srv.panel.cert_pem)
    assert trusted.get_protos()
    other = client_of(
        srv, fingerprint_sha256="", ca_bundle=fleet.server(2).panel.cert_pem
    )
    with pytest.raises(CertfleetError) as caught:
        other.get_protos()
    assert caught.value.code == errors.PLESK_TLS_MISMATCH


def test_fetch_fingerprint_reads_the_panel_certificate(fleet):
    srv = fleet.server(3)
    assert fetch_fingerprint(srv.identity.host, srv.api_port) == (
        srv.fingerprint_sha256
    )


def test_fetch_fingerprint_of_a_closed_port_is_unreachable():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    with pytest.raises(CertfleetError) as caught:
        fetch_fingerprint("127.0.0.1", port, timeout=2)
    assert caught.value.code == errors.PLESK_UNREACHABLE


def test_install_refuses_a_key_that_is_not_the_certificates(fleet, client_of, ca):
    srv = fleet.server(1)
    site = site_row(fresh_site(srv))
    key_pem, _, _ = ca.issue(site.name)
    _, cert_pem, chain_pem = ca.issue(site.name)
    served_before = srv.faults.served
    with pytest.raises(CertfleetError) as caught:
        client_of(srv).install_certificate(site, "x", key_pem, cert_pem, chain_pem)
    assert caught.value.code == errors.KEY_MISMATCH
    assert srv.faults.served == served_before


def test_install_without_chain_is_refused(fleet, client_of, ca):
    srv = fleet.server(1)
    site = site_row(fresh_site(srv))
    key_pem, cert_pem, _ = ca.issue(site.name)
    with pytest.raises(CertfleetError) as caught:
        client_of(srv).install_certificate(site, "x", key_pem, cert_pem, "")
    assert caught.value.code == errors.CHAIN_INCOMPLETE


def test_second_install_of_a_name_updates_where_supported(fleet, client_of, ca):
    for number, outcome in ((1, None), (3, errors.PLESK_CONFLICT)):
        srv = fleet.server(number)
        site = site_row(fresh_site(srv))
        client = client_of(srv)
        client.install_certificate(site, "same", *ca.issue(site.name))
        if outcome is None:
            client.install_certificate(site, "same", *ca.issue(site.name))
            assert client.last_exchange.operations == (("certificate", "update"),)
            assert client.certificate_pool(site) == ["same"]
        else:
            with pytest.raises(CertfleetError) as caught:
                client.install_certificate(site, "same", *ca.issue(site.name))
            assert caught.value.code == outcome
        client.remove_certificate(site, "same")


def test_binding_an_unknown_certificate_is_not_found(fleet, client_of):
    srv = fleet.server(1)
    site = site_row(fresh_site(srv))
    with pytest.raises(CertfleetError) as caught:
        client_of(srv).bind_certificate(site, "never-installed")
    assert caught.value.code == errors.PLESK_NOT_FOUND
    assert "Unable to find certificate" in caught.value.detail


def test_exchange_masks_private_keys(fleet, client_of, ca):
    srv = fleet.server(1)
    site = site_row(fresh_site(srv))
    client = client_of(srv)
    key_pem, cert_pem, chain_pem = ca.issue(site.name)
    client.install_certificate(site, "masked", key_pem, cert_pem, chain_pem)
    request = client.last_exchange.request
    assert "<pvt>***</pvt>" in request and "PRIVATE KEY" not in request
    assert "<cert>-----BEGIN CERTIFICATE-----" in request
    assert srv.identity.secret_key not in request
    client.remove_certificate(site, "masked")


def test_txt_records_reach_the_dns_and_go_again(fleet, client_of):
    import dns.resolver

    srv = fleet.server(2)
    domain = next(d for d in srv.state.webspaces() if d.htype == "vrt_hst")
    site = site_row(domain)
    client = client_of(srv)
    record_id = client.add_txt_record(site, "_acme-challenge", "token-123")
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers, resolver.port = [fleet.dns.host], fleet.dns.port
    answer = resolver.resolve(f"_acme-challenge.{site.name}", "TXT")
    assert [b"".join(r.strings) for r in answer] == [b"token-123"]
    client.delete_dns_record(record_id)
    with pytest.raises(dns.resolver.NXDOMAIN):
        resolver.resolve(f"_acme-challenge.{site.name}", "TXT")
    client.delete_dns_record(record_id)  # already gone: fine


def test_a_bound_certificate_is_served_on_ipv6_too(fleet, client_of, ca):
    srv, domain = next(
        (s, d)
        for s, d in fleet.sites()
        if "::1" in d.ips
        and d.kind in ("site", "webspace")
        and not d.certificate_name
        and d.htype == "vrt_hst"
        and (s.identity.name, d.id) not in TAKEN
    )
    TAKEN.add((srv.identity.name, domain.id))
    site = site_row(domain)
    client = client_of(srv)
    before = client.hosting_binding(site)
    client.install_certificate(site, "cf-v6", *ca.issue(site.name))
    client.bind_certificate(site, "cf-v6")
    try:
        for address in domain.ips:
            assert served_subject(address, srv.https_port, site.name) == (
                f"CN={site.name}"
            )
    finally:
        client.restore_binding(site, before)
        client.remove_certificate(site, "cf-v6")
    assert client.hosting_binding(site) == before
