"""Step 2 against the sandbox DNS over UDP: the name must resolve to an address the
site is served on; IPv6-only counts; www joins only when it points at the site."""

import uuid

import pytest

from apps.ca import errors
from apps.ca.errors import CertfleetError
from apps.certificates.services import dnscheck


@pytest.fixture
def zone(sandbox_dns, settings):
    settings.CERTFLEET_DNS_SERVER = f"{sandbox_dns.host}:{sandbox_dns.port}"
    made = []

    def add(addresses, www=None):
        name = f"dns-{uuid.uuid4().hex[:8]}.example"
        sandbox_dns.set_addresses(name, addresses)
        made.append(name)
        if www is not None:
            sandbox_dns.set_addresses("www." + name, www)
            made.append("www." + name)
        return name

    yield add
    for name in made:
        sandbox_dns.set_addresses(name, [])


def test_a_name_on_the_site_address_passes_with_www(zone):
    name = zone(["127.0.1.1"], www=["127.0.1.1"])
    names, line = dnscheck.check_names(name, ["127.0.1.1", "127.0.2.1"])
    assert names == [name, "www." + name]
    assert "127.0.1.1" in line


def test_www_elsewhere_is_left_out_without_failing(zone):
    name = zone(["127.0.1.1"], www=["127.0.9.9"])
    assert dnscheck.check_names(name, ["127.0.1.1"])[0] == [name]


def test_an_ipv6_only_name_pointing_at_the_server_counts(zone):
    name = zone(["::1"])
    assert dnscheck.check_names(name, ["127.0.1.1", "0:0::1"])[0] == [name]


def test_a_name_pointing_elsewhere_fails_7302(zone):
    name = zone(["127.0.9.9"])
    with pytest.raises(CertfleetError) as caught:
        dnscheck.check_names(name, ["127.0.1.1"])
    assert caught.value.code == errors.DNS_ELSEWHERE


def test_an_unknown_name_fails_7301(zone):
    with pytest.raises(CertfleetError) as caught:
        dnscheck.check_names("nowhere-" + uuid.uuid4().hex + ".example", ["127.0.1.1"])
    assert caught.value.code == errors.DNS_UNRESOLVED


def test_a_silent_dns_server_is_a_transient_timeout(settings):
    import socket

    quiet = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    quiet.bind(("127.0.0.1", 0))
    try:
        settings.CERTFLEET_DNS_SERVER = f"127.0.0.1:{quiet.getsockname()[1]}"
        resolver = dnscheck.resolver()
        resolver.lifetime = 0.5
        with pytest.raises(CertfleetError) as caught:
            dnscheck.addresses("any.example", resolver)
    finally:
        quiet.close()
    assert caught.value.code == errors.DNS_TIMEOUT and caught.value.transient
