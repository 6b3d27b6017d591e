"""List endpoints answer in a fixed number of queries, however many rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.audit.models import AuditEvent
from apps.certificates.models import HealthCheck, Order
from apps.core import clock
from apps.fleet.models import Site
from tests.api.fixtures import make_certificate, make_voucher

COLLECTIONS = ["sites", "vouchers", "orders", "certificates", "health", "audit"]


def grow(fleet, n: int) -> None:
    """n more of everything for customer A1."""
    for i in range(n):
        site = Site.objects.create(
            server=fleet.server,
            owner=fleet.a.customer,
            name=f"more-{i}.example",
            display_name=f"more-{i}.example",
            ip_addresses=["127.0.1.30"],
        )
        certificate = make_certificate(site, serial=0x1000 + i)
        site.current_certificate = certificate
        site.save(update_fields=["current_certificate"])
        voucher = make_voucher(fleet.a.customer, f"MANYVOUCHERS{i:04d}")
        Order.objects.create(site=site, voucher=voucher, certificate=certificate)
        HealthCheck.objects.create(site=site, checked_at=clock.now(), ok=True)
        AuditEvent.objects.create(
            at=clock.now(),
            action="site.synced",
            object_type="fleet.site",
            object_id=str(site.pk),
            account=fleet.a.customer,
        )


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_list_queries_do_not_grow_with_rows(api, fleet, collection):
    client = api("reseller_a")
    url = f"/api/v1/{collection}/"
    few = count_queries(client, url)
    grow(fleet, 12)
    assert count_queries(client, url) == few
