import datetime as dt

from apps.audit.models import AuditEvent
from apps.certificates.lifecycle import health
from apps.certificates.models import HealthCheck
from apps.core import clock
from apps.fleet.models import Site
from tests.lifecycle import pki


def _secure(fleet, site_server, lab_ca, personas, name="shop.example", days=60):
    site = fleet.site(name, personas.customer_a1)
    leaf = lab_ca.leaf(name, f"www.{name}", days=days)
    pki.record(site, leaf)
    site_server.serve(name, leaf.pem, leaf.key_pem, [lab_ca.intermediate.pem])
    return site, leaf


def test_a_site_serving_what_was_installed_is_healthy(
    fleet, site_server, lab_ca, personas, authority
):
    site, leaf = _secure(fleet, site_server, lab_ca, personas)

    check = health.check_site(site)

    assert check.ok, check.error
    assert check.served_fingerprint == leaf.fingerprint
    assert check.matches_installed and check.chain_complete and check.hostname_matches
    assert check.days_left == 59
    assert check.address == "127.0.0.1"


def test_days_left_follow_the_clock(fleet, site_server, lab_ca, personas, authority):
    site, _ = _secure(fleet, site_server, lab_ca, personas, days=60)
    clock.advance(dt.timedelta(days=45))
    assert health.check_site(site).days_left == 14

    clock.advance(dt.timedelta(days=20))
    expired = health.check_site(site)
    assert not expired.ok and "expired" in expired.error


def test_a_certificate_replaced_by_hand_is_flagged_not_overwritten(
    fleet, site_server, lab_ca, personas, authority
):
    site, leaf = _secure(fleet, site_server, lab_ca, personas)
    assert health.check_site(site).ok
    installed = site.current_certificate_id

    by_hand = lab_ca.leaf(site.name, days=30)
    site_server.serve(
        site.name, by_hand.pem, by_hand.key_pem, [lab_ca.intermediate.pem]
    )
    drift = health.check_site(site)
    again = health.check_site(site)

    assert not drift.ok and not drift.matches_installed
    assert drift.served_fingerprint == by_hand.fingerprint
    assert "another certificate" in drift.error
    assert drift.chain_complete and drift.hostname_matches  # only the drift is wrong
    assert health.is_drift(drift) and health.is_drift(again)
    site.refresh_from_db()
    assert site.current_certificate_id == installed
    # The drift is audited when it appears, not on every check after.
    events = AuditEvent.objects.filter(action="site.drift_detected")
    assert [e.object_id for e in events] == [str(site.pk)]


def test_missing_intermediate_breaks_the_chain(
    fleet, site_server, lab_ca, personas, authority
):
    site = fleet.site("bare.example", personas.customer_a1)
    leaf = lab_ca.leaf("bare.example")
    pki.record(site, leaf)
    site_server.serve("bare.example", leaf.pem, leaf.key_pem)

    check = health.check_site(site)

    assert check.matches_installed and not check.chain_complete and not check.ok
    assert "trusted root" in check.error


def test_a_certificate_for_another_name_does_not_match_the_host(
    fleet, site_server, lab_ca, personas, authority
):
    site = fleet.site("blog.example", personas.customer_a1)
    leaf = lab_ca.leaf("other.example")
    pki.record(site, leaf)
    site_server.serve("blog.example", leaf.pem, leaf.key_pem, [lab_ca.intermediate.pem])

    check = health.check_site(site)

    assert check.matches_installed and not check.hostname_matches and not check.ok


def test_a_site_that_does_not_answer_is_reported(
    fleet, site_server, lab_ca, personas, authority
):
    site, _ = _secure(fleet, site_server, lab_ca, personas)
    site.server.https_port = _closed_port()
    site.server.save()

    check = health.check_site(site)

    assert not check.ok and "handshake failed" in check.error
    assert check.served_fingerprint == "" and not health.is_drift(check)


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_batch_checks_every_site_and_latest_comes_in_one_query(
    fleet, site_server, lab_ca, personas, authority, django_assert_num_queries
):
    sites = [
        _secure(fleet, site_server, lab_ca, personas, name=f"s{i}.example")[0]
        for i in range(6)
    ]
    by_hand = lab_ca.leaf("s3.example")
    site_server.serve(
        "s3.example", by_hand.pem, by_hand.key_pem, [lab_ca.intermediate.pem]
    )

    assert health.batches() == [[s.pk for s in sites]]
    checks = health.check_sites([s.pk for s in sites])
    assert len(checks) == 6 and HealthCheck.objects.count() == 6

    ids = [s.pk for s in sites]
    with django_assert_num_queries(1):
        latest = health.latest_by_site(ids)
    assert {pk: c.ok for pk, c in latest.items()} == {
        s.pk: s.name != "s3.example" for s in sites
    }
    with django_assert_num_queries(1):
        rows = list(health.with_latest_health(Site.objects.filter(pk__in=ids)))
    assert [s.name for s in rows if s.health_drift] == ["s3.example"]
    assert [s.name for s in rows if not s.health_ok] == ["s3.example"]


def test_old_checks_are_pruned(fleet, site_server, lab_ca, personas, authority):
    site, _ = _secure(fleet, site_server, lab_ca, personas)
    old = health.check_site(site)
    clock.advance(dt.timedelta(days=31))
    health.batches()
    assert not HealthCheck.objects.filter(pk=old.pk).exists()
