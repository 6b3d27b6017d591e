"""The ACME backend against Debian's pebble, answering dns-01 via the sandbox DNS."""

import pytest
from cryptography import x509

from apps.ca import errors
from apps.ca.backends.acme import AcmeBackend
from apps.ca.errors import CertfleetError
from apps.ca.models import CertificateAuthority
from apps.sandbox.ca.pebble import PebbleMissing, start_pebble
from tests.fixtures import services

from .conftest import assert_code
from .site import make_csr, make_key

EAB_KID = "kid-1"
EAB_KEY = "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W"


def _pebble(dns, eab=None):
    """Pebble on loopback; without it a skip, or a failure in CI."""
    try:
        return start_pebble((dns.host, dns.port), eab)
    except PebbleMissing as missing:
        services.missing(str(missing))


@pytest.fixture(scope="module")
def pebble(dns):
    server = _pebble(dns)
    yield server
    server.stop()


class Publisher:
    """The pipeline's DNS callback, here writing to the sandbox DNS."""

    def __init__(self, dns, tamper: bool = False):
        self.dns = dns
        self.tamper = tamper
        self.live: set[int] = set()

    def publish_txt(self, name: str, value: str) -> int:
        handle = self.dns.add_txt(name, "wrong" + value if self.tamper else value)
        self.live.add(handle)
        return handle

    def remove(self, handle: int) -> None:
        self.dns.remove_txt(handle)
        self.live.discard(handle)


def _authority(server, **fields) -> CertificateAuthority:
    return CertificateAuthority(
        name="pebble",
        backend=CertificateAuthority.Backend.ACME,
        endpoint=server.directory_url,
        ca_bundle=server.listener_ca_pem,
        timeout=10.0,
        **fields,
    )


def _order(backend, dns, names, tamper=False):
    publisher = Publisher(dns, tamper)
    csr_pem = make_csr(make_key(), names)
    try:
        return backend.order(csr_pem, publisher, deadline=30), publisher
    finally:
        assert not publisher.live  # every TXT record is removed again


def test_dns01_order_issues_a_chain_to_pebbles_root(pebble, dns):
    authority = _authority(pebble)
    backend = AcmeBackend(authority, contact_email="ops@example.test")

    issued, _ = _order(backend, dns, ["acme.example", "www.acme.example"])

    leaf = x509.load_pem_x509_certificate(issued.cert_pem.encode())
    sans = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    assert sorted(sans.value.get_values_for_type(x509.DNSName)) == [
        "acme.example",
        "www.acme.example",
    ]
    root = x509.load_pem_x509_certificate(pebble.root_pem().encode())
    verifier = (
        x509.verification.PolicyBuilder()
        .store(x509.verification.Store([root]))
        .build_server_verifier(x509.DNSName("acme.example"))
    )
    intermediates = [
        x509.load_pem_x509_certificate(p.encode()) for p in issued.chain_pems
    ]
    verifier.verify(leaf, intermediates)
    assert "dns-01 _acme-challenge.acme.example TXT published" in issued.raw
    assert authority.account_login.startswith("https://127.0.0.1:")
    assert "PRIVATE KEY" in authority.account_secret


def test_second_order_reuses_the_account(pebble, dns):
    authority = _authority(pebble)
    _order(AcmeBackend(authority), dns, ["first.example"])
    account = authority.account_login

    issued, _ = _order(AcmeBackend(authority), dns, ["second.example"])

    assert authority.account_login == account
    assert "registered" not in issued.raw


def test_wrong_txt_value_fails_validation(pebble, dns):
    with pytest.raises(CertfleetError) as caught:
        _order(AcmeBackend(_authority(pebble)), dns, ["tampered.example"], tamper=True)
    assert_code(caught.value, errors.CA_VALIDATION_FAILED)
    assert "tampered.example dns-01" in caught.value.detail


def test_revoke_then_revoke_again(pebble, dns):
    backend = AcmeBackend(_authority(pebble))
    issued, _ = _order(backend, dns, ["revoked.example"])
    serial = x509.load_pem_x509_certificate(issued.cert_pem.encode()).serial_number

    backend.revoke(issued.cert_pem, reason=4)

    assert pebble.revocation_status(serial)["Status"] == "Revoked"
    with pytest.raises(CertfleetError) as caught:
        backend.revoke(issued.cert_pem, reason=4)
    assert_code(caught.value, errors.ALREADY_REVOKED, header=False)
    assert "alreadyRevoked" in caught.value.detail


def test_untrusted_endpoint_is_refused(pebble, dns):
    authority = _authority(pebble)
    authority.ca_bundle = pebble.root_pem()  # not the listener's CA
    with pytest.raises(CertfleetError) as caught:
        _order(AcmeBackend(authority), dns, ["tls.example"])
    assert_code(caught.value, errors.CA_TLS)


def test_external_account_binding(dns):
    server = _pebble(dns, eab={EAB_KID: EAB_KEY})
    try:
        with pytest.raises(CertfleetError) as caught:
            _order(AcmeBackend(_authority(server)), dns, ["eab.example"])
        bound = _authority(server, eab_kid=EAB_KID, eab_hmac=EAB_KEY)
        issued, _ = _order(AcmeBackend(bound), dns, ["eab.example"])
    finally:
        server.stop()
    assert_code(caught.value, errors.CA_REFUSED)
    assert "externalAccountRequired" in caught.value.detail
    assert issued.cert_pem and bound.account_login
