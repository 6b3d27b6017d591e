"""Allowed networks of a voucher: IPv4 and IPv6, CIDR and first-last ranges."""

import pytest

from apps.vouchers import networks
from apps.vouchers.networks import NetworkError


def test_cidr_ranges_and_single_addresses_mix_v4_and_v6():
    allowed = networks.parse(
        ["127.0.1.0/24", "10.0.0.5 - 10.0.0.9", "2001:db8::/32", "192.0.2.7"]
    )
    assert [n.text for n in allowed] == [
        "127.0.1.0/24",
        "10.0.0.5-10.0.0.9",
        "2001:db8::/32",
        "192.0.2.7",
    ]
    assert networks.contains(allowed, ["127.0.1.200"])
    assert networks.contains(allowed, ["10.0.0.5", "10.0.0.9", "2001:db8:ffff::1"])
    assert networks.contains(allowed, ["192.0.2.7"])
    assert not networks.contains(allowed, ["10.0.0.10"])
    assert not networks.contains(allowed, ["192.0.2.8"])
    assert not networks.contains(allowed, ["2001:db9::1"])


def test_one_string_with_several_entries_is_read_like_a_list():
    allowed = networks.parse("127.0.1.0/24, 127.0.2.1-127.0.2.3;\n::1")
    assert len(allowed) == 3
    assert networks.contains(allowed, ["127.0.2.3", "::1"])


def test_every_address_of_the_site_must_be_inside():
    allowed = networks.parse(["127.0.1.0/24"])
    assert networks.contains(allowed, ["127.0.1.5"])
    # Served on a second address outside the ranges: refused.
    assert not networks.contains(allowed, ["127.0.1.5", "127.0.9.5"])
    assert networks.outside(allowed, ["127.0.1.5", "127.0.9.5"]) == ["127.0.9.5"]


def test_a_site_without_addresses_is_not_inside():
    assert not networks.contains(networks.parse(["0.0.0.0/0"]), [])


def test_ipv4_never_matches_an_ipv6_network_but_mapped_form_does():
    allowed = networks.parse(["::/0"])
    assert not networks.contains(allowed, ["127.0.0.1"])
    v4 = networks.parse(["192.0.2.0/24"])
    assert networks.contains(v4, ["::ffff:192.0.2.9"])


def test_unreadable_site_address_counts_as_outside():
    allowed = networks.parse(["127.0.0.0/8"])
    assert networks.outside(allowed, ["127.0.0.1", "not-an-ip"]) == ["not-an-ip"]


@pytest.mark.parametrize(
    ("entry", "says"),
    [
        ("192.0.2.0/33", "type a block like 192.0.2.0/24"),
        ("192.0.2.5/24", "did you mean 192.0.2.0/24?"),
        ("192.0.2.20-192.0.2.10", "type the lower address first"),
        ("192.0.2.1-2001:db8::1", "mixes IPv4 and IPv6"),
        ("192.0.2.1-", "type the first and last address joined by a dash"),
        ("192.0.2.1-192.0.2.5-192.0.2.9", "joined by a dash"),
        ("192.0.2.300", "is not an IP address"),
        ("example.com", "type entries like 192.0.2.0/24"),
    ],
)
def test_malformed_entries_say_what_to_type(entry, says):
    with pytest.raises(NetworkError) as caught:
        networks.parse([entry])
    assert says in str(caught.value)
    assert isinstance(caught.value, ValueError)
