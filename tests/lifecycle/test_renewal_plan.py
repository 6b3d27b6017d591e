import datetime as dt
import itertools

import pytest

from apps.ca import errors
from apps.certificates.lifecycle import renewal
from apps.certificates.lifecycle.models import Notice, Renewal
from apps.certificates.models import Certificate, Order
from apps.core import clock
from tests.lifecycle import pki
from tests.lifecycle.conftest import make_voucher

WINDOW = dt.timedelta(hours=24)


@pytest.fixture
def opted_in(personas):
    personas.customer_a1.auto_renew = True
    personas.customer_a1.save()
    return personas


def _secured(fleet, lab_ca, owner, name, days, server=None, voucher=None, life=90):
    site = fleet.site(name, owner, server=server)
    leaf = lab_ca.leaf(name, f"www.{name}", days=days, lifetime=life)
    return pki.record(site, leaf, voucher=voucher)


def test_due_certificates_of_opted_in_customers_only_are_planned(
    fleet, lab_ca, opted_in
):
    a1, b1 = opted_in.customer_a1, opted_in.customer_b1
    due = [_secured(fleet, lab_ca, a1, f"due{i}.example", days=20) for i in range(3)]
    _secured(fleet, lab_ca, a1, "later.example", days=60)
    _secured(fleet, lab_ca, b1, "not-opted.example", days=20)
    replaced = _secured(fleet, lab_ca, a1, "replaced.example", days=20)
    pki.record(replaced.site, lab_ca.leaf("replaced.example", days=90))

    planned = renewal.plan_renewals()

    assert sorted(r.certificate_id for r in planned) == [c.pk for c in due]
    assert renewal.plan_renewals() == []  # a certificate is planned once
    assert Renewal.objects.count() == 3

    # The later one becomes due when its time comes, and only then.
    clock.advance(dt.timedelta(days=29))
    assert renewal.plan_renewals() == []
    clock.advance(dt.timedelta(days=2))
    assert [r.certificate.site.name for r in renewal.plan_renewals()] == [
        "later.example"
    ]


def test_renewals_are_spread_over_the_window_and_across_servers(
    fleet, lab_ca, opted_in
):
    servers = [fleet.server("plesk1"), fleet.server("plesk2")]
    for s, server in enumerate(servers):
        for i in range(6):
            name = f"s{s}-{i}.example"
            _secured(fleet, lab_ca, opted_in.customer_a1, name, 20, server=server)
    now = clock.now()

    planned = renewal.plan_renewals(now)

    assert len(planned) == 12
    firsts = []
    for server in servers:
        times = sorted(r.scheduled_at for r in planned if r.server_id == server.pk)
        assert now <= times[0] and times[-1] < now + WINDOW
        gaps = {round((b - a).total_seconds()) for a, b in itertools.pairwise(times)}
        assert gaps == {4 * 3600}  # 6 renewals evenly over 24 hours
        firsts.append(times[0])
    assert firsts[0] != firsts[1]  # servers do not start in step


def test_an_urgent_certificate_is_planned_before_it_expires(fleet, lab_ca, opted_in):
    certificate = _secured(fleet, lab_ca, opted_in.customer_a1, "soon.example", 0.5)
    (planned,) = renewal.plan_renewals()
    assert planned.scheduled_at < certificate.not_after - dt.timedelta(hours=5)


def test_a_monthly_certificate_is_renewed_each_month(fleet, lab_ca, opted_in):
    monthly = make_voucher(opted_in.customer_a1, kind="monthly", days=31, uses=12)
    certificate = _secured(
        fleet, lab_ca, opted_in.customer_a1, "m.example", 31, voucher=monthly, life=31
    )
    # A third of its life before expiry (about 10 days), not 30 days ahead.
    assert (
        renewal.renew_before(certificate)
        == (certificate.not_after - certificate.not_before) / 3
    )
    clock.advance(dt.timedelta(days=19))
    assert renewal.plan_renewals() == []
    clock.advance(dt.timedelta(days=2))
    assert [r.certificate_id for r in renewal.plan_renewals()] == [certificate.pk]


def test_dispatch_starts_a_few_per_server_and_never_twice(
    fleet, lab_ca, opted_in, sandbox_dns, settings
):
    settings.CERTFLEET_DNS_SERVER = f"{sandbox_dns.host}:{sandbox_dns.port}"
    voucher = make_voucher(opted_in.provider)
    certificates = []
    for i in range(5):
        name = f"d{i}.example"
        sandbox_dns.set_addresses(name, ["127.0.0.1"])
        sandbox_dns.set_addresses(f"www.{name}", ["127.0.0.1"])
        certificates.append(
            _secured(fleet, lab_ca, opted_in.customer_a1, name, 20, voucher=voucher)
        )
    renewal.plan_renewals()

    clock.advance(WINDOW)
    first = renewal.dispatch_renewals()
    again = renewal.dispatch_renewals()

    assert len(first) == 2 and again == []  # two per server, the rest wait
    orders = Order.objects.filter(kind=Order.Kind.RENEWAL)
    assert sorted(o.site_id for o in orders) == sorted(r.site_id for r in first)
    assert all(o.state == Order.State.PENDING for o in orders)
    assert Renewal.objects.filter(state=Renewal.State.RUNNING).count() == 2


def test_a_renewal_that_would_lose_a_name_is_refused_and_alerted_once(
    fleet, lab_ca, opted_in, sandbox_dns, settings
):
    settings.CERTFLEET_DNS_SERVER = f"{sandbox_dns.host}:{sandbox_dns.port}"
    voucher = make_voucher(opted_in.provider)
    # The old certificate also names another site's name, which a renewal of this
    # site cannot ask for: it would drop it.
    sandbox_dns.set_addresses("lost.example", ["127.0.0.1"])
    site = fleet.site("lost.example", opted_in.customer_a1)
    leaf = lab_ca.leaf("lost.example", "shop.elsewhere.example", days=20)
    certificate = pki.record(site, leaf, voucher=voucher)
    renewal.plan_renewals()
    clock.advance(WINDOW)

    renewal.dispatch_renewals()
    renewal.dispatch_renewals()

    refused = Renewal.objects.get(certificate=certificate)
    assert refused.state == Renewal.State.REFUSED
    assert refused.error_code == errors.RENEWAL_FEWER_NAMES
    assert "shop.elsewhere.example" in refused.error_message
    assert not Order.objects.exists()
    alert = Notice.objects.get(event="failed")
    assert alert.data["code"] == errors.RENEWAL_FEWER_NAMES and alert.data["renewal"]


def test_a_renewal_no_longer_needed_is_skipped(fleet, lab_ca, opted_in):
    certificate = _secured(fleet, lab_ca, opted_in.customer_a1, "gone.example", 20)
    renewal.plan_renewals()
    Certificate.objects.filter(pk=certificate.pk).update(status="revoked")
    clock.advance(WINDOW)

    renewal.dispatch_renewals()

    skipped = Renewal.objects.get()
    assert skipped.state == Renewal.State.SKIPPED
    assert skipped.error_message == "certificate is revoked"
