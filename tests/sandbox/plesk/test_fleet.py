"""The sandbox fleet as a client sees it: addresses, certificates, names, DNS."""

import socket
import ssl

import dns.resolver
from cryptography import x509
from cryptography.hazmat.primitives import hashes

from apps.sandbox.plesk import start_fleet
from tests.sandbox.plesk.conftest import post

RISKY = ("paypal", "bank", "login", "microsoft", "apple")


def served_certificate(ip: str, port: int, name: str) -> x509.Certificate:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # we read what is served, not trust it
    with (
        socket.create_connection((ip, port), timeout=5) as raw,
        context.wrap_socket(raw, server_hostname=name) as tls,
    ):
        der = tls.getpeercert(binary_form=True)
    return x509.load_der_x509_certificate(der)


def test_describe_lists_each_server_on_its_own_address(fleet):
    servers = fleet.describe()["servers"]
    assert [s["host"] for s in servers] == ["127.0.1.1", "127.0.1.2", "127.0.1.3"]
    for entry in servers:
        assert entry["api_port"] > 0 and entry["https_port"] > 0
        assert entry["secret_key"] and entry["password"]
        assert len(entry["fingerprint_sha256"].split(":")) == 32
        number = entry["host"].rsplit(".", 1)[1]
        assert entry["ip_addresses"][:2] == [entry["host"], f"127.0.2.{number}"]


def test_panel_serves_the_certificate_whose_fingerprint_is_described(fleet):
    entry = fleet.describe()["servers"][1]
    cert = served_certificate(entry["host"], entry["api_port"], entry["host"])
    digest = cert.fingerprint(hashes.SHA256()).hex().upper()
    assert (
        ":".join(digest[i : i + 2] for i in range(0, 64, 2))
        == (entry["fingerprint_sha256"])
    )


def test_population_has_the_promised_mix(fleet):
    names = [d.ascii_name for _, d in fleet.sites()]
    assert len(names) == len(set(names))
    hosted = [d for _, d in fleet.sites() if d.kind in ("webspace", "site")]
    assert len(hosted) == 120
    assert any(n.startswith("xn--") for n in names)
    assert any(word in n for n in names for word in RISKY)
    outside = [d for d in hosted if d.ips[0].startswith("127.0.2.")]
    assert 6 <= len(outside) <= 18
    assert any(d.htype == "none" for d in hosted)
    assert any("::1" in d.ips for d in hosted)
    assert {d.kind for _, d in fleet.sites()} == {"webspace", "site", "subdomain"}
    previous = [d for d in hosted if d.certificate_name]
    assert 18 <= len(previous) <= 30


def test_same_seed_same_fleet():
    first = start_fleet(servers=2, sites=40, seed=3, host_prefix="127.0.5")
    second_names = None
    try:
        names = [d.ascii_name for _, d in first.sites()]
    finally:
        first.stop()
    second = start_fleet(servers=2, sites=40, seed=3, host_prefix="127.0.5")
    try:
        second_names = [d.ascii_name for _, d in second.sites()]
    finally:
        second.stop()
    assert names == second_names


def test_sites_serve_their_previous_certificate_only_on_their_address(fleet):
    srv, site = next(
        (s, d)
        for s, d in fleet.sites()
        if d.certificate_name and d.ips[0].startswith("127.0.1.")
    )
    cert = served_certificate(site.ips[0], srv.https_port, site.ascii_name)
    assert cert.subject.rfc4514_string() == f"CN={site.ascii_name}"
    assert "Previous CA" in cert.issuer.rfc4514_string()
    other = srv.identity.second_ip
    cert = served_certificate(other, srv.https_port, site.ascii_name)
    assert cert.subject.rfc4514_string().startswith("O=Plesk sandbox")


def test_every_site_name_resolves_in_the_sandbox_dns(fleet):
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = [fleet.dns.host]
    resolver.port = fleet.dns.port
    srv, site = next((s, d) for s, d in fleet.sites() if "::1" in d.ips)
    answer = resolver.resolve(site.ascii_name, "A")
    assert [r.address for r in answer] == [site.ips[0]]
    assert [r.address for r in resolver.resolve(site.ascii_name, "AAAA")] == ["::1"]


def test_large_fleet_starts_quickly():
    import time

    started = time.monotonic()
    big = start_fleet(servers=50, sites=10_000, seed=2, host_prefix="127.0.7")
    try:
        assert time.monotonic() - started < 20
        status, body = post(
            big.server(50), "<packet><server><get_protos/></server></packet>"
        )
        assert status == 200 and "<status>ok</status>" in body
    finally:
        big.stop()


def test_the_chain_is_served_with_the_leaf(fleet):
    """Trusting only the previous CA's root, the handshake verifies: the
    intermediate came with the leaf."""
    srv, site = next(
        (s, d)
        for s, d in fleet.sites()
        if d.certificate_name and d.ips[0].startswith("127.0.1.")
    )
    context = ssl.create_default_context(cadata=fleet.previous_ca.root_pem)
    with (
        socket.create_connection((site.ips[0], srv.https_port), timeout=5) as raw,
        context.wrap_socket(raw, server_hostname=site.ascii_name) as tls,
    ):
        assert tls.getpeercert()["subject"] == ((("commonName", site.ascii_name),),)
