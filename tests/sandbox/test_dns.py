import dns.resolver
import pytest

from apps.sandbox.dns import SandboxDNS


@pytest.fixture
def sandbox_dns():
    server = SandboxDNS().start()
    yield server
    server.stop()


def _resolver(server: SandboxDNS) -> dns.resolver.Resolver:
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = [server.host]
    resolver.port = server.port
    resolver.lifetime = 2
    return resolver


def test_answers_a_aaaa_and_txt(sandbox_dns):
    sandbox_dns.set_addresses("shop.example", ["127.0.1.1", "::1"])
    record = sandbox_dns.add_txt("_acme-challenge.shop.example", "token")
    resolver = _resolver(sandbox_dns)
    assert [r.address for r in resolver.resolve("shop.example", "A")] == ["127.0.1.1"]
    assert [r.address for r in resolver.resolve("shop.example", "AAAA")] == ["::1"]
    txt = resolver.resolve("_acme-challenge.shop.example", "TXT")
    assert [b"".join(r.strings) for r in txt] == [b"token"]
    assert sandbox_dns.remove_txt(record)
    with pytest.raises(dns.resolver.NXDOMAIN):
        resolver.resolve("_acme-challenge.shop.example", "TXT")


def test_unknown_names_do_not_exist(sandbox_dns):
    with pytest.raises(dns.resolver.NXDOMAIN):
        _resolver(sandbox_dns).resolve("nowhere.example", "A")
