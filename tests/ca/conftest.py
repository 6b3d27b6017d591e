"""The voucher CA over the network: sandbox DNS, sandbox CA, a site's TLS port, and
the product's client configured as an authority would be."""

from dataclasses import dataclass

import pytest

from apps.ca.backends.voucher import VoucherBackend
from apps.ca.errors import CATALOGUE, CertfleetError, lookup
from apps.ca.models import CertificateAuthority
from apps.sandbox.ca import VoucherCA, start_ca
from apps.sandbox.dns import SandboxDNS

from .site import Site, make_csr, make_key

SITE_IP = "127.0.2.10"


@pytest.fixture(scope="session")
def dns():
    """One name server for the session: each test sets the names it relies on."""
    server = SandboxDNS().start()
    yield server
    server.stop()


@pytest.fixture
def ca(dns):
    authority = start_ca(dns=(dns.host, dns.port), probe_deadline=1.0)
    yield authority
    authority.stop()


@pytest.fixture
def site(tmp_path):
    listener = Site(tmp_path, SITE_IP)
    yield listener
    listener.stop()


def authority_for(ca: VoucherCA, platform: str = "plesk") -> CertificateAuthority:
    return CertificateAuthority(
        name="sandbox",
        backend=CertificateAuthority.Backend.VOUCHER,
        endpoint=ca.wsdl_url,
        ca_bundle=ca.listener_ca_pem,
        trusted_roots=ca.root_pem,
        platform_id=ca.platform_ids[platform],
        timeout=10.0,
    )


@pytest.fixture
def backend(ca) -> VoucherBackend:
    return VoucherBackend(authority_for(ca))


@dataclass
class Redeemed:
    order_id: str
    test_id: str
    key: object
    csr_pem: str
    cert_pem: str
    chain_pems: list[str]


class Flow:
    """The pipeline's CA steps, as the tests drive them."""

    def __init__(self, backend: VoucherBackend, ca: VoucherCA, dns, site: Site):
        self.backend = backend
        self.ca = ca
        self.dns = dns
        self.site = site

    def name(self, name: str, address: str = SITE_IP) -> str:
        self.dns.set_addresses(name, [address])
        return name

    def temporary(self, voucher: str, name: str, names=None, revoke=False, **kw):
        """check + test order + install the temporary certificate on the site."""
        check = self.backend.check(
            voucher_code=voucher,
            name=name,
            email=kw.pop("email", "ops@example.test"),
            port=kw.pop("port", self.site.port),
            revoke=revoke,
            **kw,
        )
        key = make_key("ECC", check.key_length)
        csr_pem = make_csr(key, names or [name])
        test = self.backend.order_test(check.order_id, csr_pem)
        self.site.serve(name, test.cert_pem, key, test.chain_pems)
        return check, test, key, csr_pem

    def redeem(self, voucher: str, name: str, names=None, **kw) -> Redeemed:
        check, test, key, csr_pem = self.temporary(voucher, name, names, **kw)
        real = self.backend.order_real(test.order_id, csr_pem)
        return Redeemed(
            check.order_id, test.order_id, key, csr_pem, real.cert_pem, real.chain_pems
        )


@pytest.fixture
def flow(backend, ca, dns, site) -> Flow:
    return Flow(backend, ca, dns, site)


def assert_code(
    error: CertfleetError, code: int, field: str = "", header: bool | None = None
) -> None:
    """The failure carries `code` with the catalogue's own message and advice, and
    the CA's answer in the order log (`header`: the code came in a SOAP header)."""
    assert error.code == code, error
    info = lookup(code)
    assert code in CATALOGUE and error.info == info
    assert str(info.message) and str(info.advice)
    assert str(info.message) in str(error)
    if code < 0 if header is None else header:  # the CA's answer, not the exchange
        assert f"<ErrorCode>{code}</ErrorCode>" in error.raw
        assert error.detail.startswith(field)
