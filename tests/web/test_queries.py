"""List pages run a fixed number of queries, however many rows they show."""

import datetime as dt
import time

import pytest
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.certificates.models import Certificate, HealthCheck, Order
from apps.core import clock
from apps.fleet.models import Site
from tests.web.conftest import make_voucher

pytestmark = pytest.mark.django_db


def add_sites(server, owner, count: int, start: int = 0) -> list[Site]:
    """`count` sites, each with a certificate; every third one also with a health
    check and an order."""
    now = clock.now()
    sites = Site.objects.bulk_create(
        Site(
            server=server,
            owner=owner,
            name=f"site-{start + i}.example",
            display_name=f"site-{start + i}.example",
            ip_addresses=["127.0.1.1"],
        )
        for i in range(count)
    )
    Certificate.objects.bulk_create(
        Certificate(
            site=site,
            serial_key=format(1000 + start + i, "x"),
            serial_hex=format(1000 + start + i, "x"),
            subject_cn=site.name,
            issuer="CN=Sandbox Intermediate CA",
            not_before=now,
            not_after=now + dt.timedelta(days=20 + i % 300),
            fingerprint_sha256="cd" * 32,
            cert_pem="x",
            key_pem="x",
        )
        for i, site in enumerate(sites)
    )
    newest = Certificate.objects.filter(site=OuterRef("pk")).order_by("-pk")
    Site.objects.filter(server=server, current_certificate__isnull=True).update(
        current_certificate=Subquery(newest.values("pk")[:1])
    )
    sites = sites[::3]
    HealthCheck.objects.bulk_create(
        HealthCheck(site=site, checked_at=now, ok=i % 7 != 0)
        for i, site in enumerate(sites)
    )
    Order.objects.bulk_create(
        Order(site=site, state="failed" if i % 5 == 0 else "done", error_code=-9019)
        for i, site in enumerate(sites)
    )
    return sites


def count_queries(client, url, **query) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query)
    assert response.status_code == 200
    return len(captured.captured_queries)


PAGES = [
    ("fleet:sites", {}),
    ("fleet:sites", {"status": "failing", "sort": "-expires"}),
    ("fleet:sites", {"q": "site-1", "sort": "health_ok"}),
    ("home", {}),
    ("fleet:servers", {}),
    ("vouchers:list", {}),
    ("audit:list", {}),
    ("certificates:orders", {"sort": "-site"}),
    ("accounts:customers", {}),
]


@pytest.mark.parametrize(("name", "query"), PAGES)
def test_staff_pages_do_not_grow_with_rows(client, personas, fleet, name, query):
    client.force_login(personas.staff)
    url = reverse(name)
    add_sites(fleet.server, personas.customer_a1, 5)
    for i in range(5):
        make_voucher(personas.reseller_a, f"QUERYXXX2345{i:04d}")
        AuditEvent.objects.create(
            at=clock.now(), action="x.y", object_type="t", object_id=str(i)
        )
    few = count_queries(client, url, **query)
    add_sites(fleet.server, personas.customer_b1, 120, start=100)
    for i in range(60):
        make_voucher(personas.reseller_b, f"QUERYMMM2345{i:04d}")
        AuditEvent.objects.create(
            at=clock.now(), action="x.y", object_type="t", object_id=str(i)
        )
    assert count_queries(client, url, **query) == few


@pytest.mark.parametrize("who", ["reseller_a_user", "customer_a1_user"])
def test_tenant_home_does_not_grow_with_rows(client, personas, fleet, who):
    client.force_login(getattr(personas, who))
    add_sites(fleet.server, personas.customer_a1, 3)
    few = count_queries(client, reverse("home"))
    add_sites(fleet.server, personas.customer_a1, 80, start=100)
    assert count_queries(client, reverse("home")) == few


def test_push_page_is_bounded(client, personas, fleet, django_assert_max_num_queries):
    client.force_login(personas.staff)
    sites = add_sites(fleet.server, personas.customer_a1, 200)
    Order.objects.filter(site__in=sites).update(push=fleet.push)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("bulk:detail", args=[fleet.push.pk]))
    assert response.status_code == 200


@pytest.mark.slow
def test_sites_list_with_100000_sites(
    transactional_db, client, personas, fleet, django_assert_max_num_queries
):
    # Committed rows (transactional_db): ANALYZE inside the test's transaction leaves
    # PostgreSQL's planner estimating one row, and it then picks a quadratic plan.
    client.force_login(personas.staff)
    for start in range(0, 100_000, 20_000):
        add_sites(fleet.server, personas.customer_b1, 20_000, start=start)
    assert Site.objects.count() >= 100_000
    if connection.vendor == "postgresql":
        # As autovacuum would after a load this size: without statistics the
        # planner takes the fresh tables for empty ones.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    timings = {}
    with django_assert_max_num_queries(12):
        response = timed(timings, "list", client, reverse("fleet:sites"))
    assert "100,003 rows" in response.content.decode()
    query = {"status": "expiring", "sort": "-expires", "page": 3}
    with django_assert_max_num_queries(12):
        timed(timings, "filtered", client, reverse("fleet:sites"), query)
    with django_assert_max_num_queries(12):
        timed(timings, "dashboard", client, reverse("home"))
    print("seconds per page with 100,000 sites:", timings)


def timed(timings: dict, label: str, client, url, query=None):
    started = time.perf_counter()
    response = client.get(url, query or {})
    timings[label] = round(time.perf_counter() - started, 2)
    assert response.status_code == 200
    return response
