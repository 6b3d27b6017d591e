"""The push page: a progress fragment polled while work remains, failures grouped
by code with advice, retry of the failed sites; and the push form's checks."""

import pytest
from django.urls import reverse

from apps.bulk.models import Push
from apps.certificates.models import Order
from tests.web.conftest import make_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def running_push(fleet):
    push = fleet.push
    push.state = Push.State.RUNNING
    sites = [fleet.site_a, fleet.site_a_plain, fleet.site_b]
    push.target = {"site_ids": [s.pk for s in sites], "already_done": []}
    push.save()
    make_order(fleet.site_b, fleet.voucher_provider, Order.State.RUNNING, push=push)
    return push


def fragment(client, push) -> str:
    response = client.get(reverse("bulk:progress", args=[push.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_progress_polls_until_every_site_is_finished(client, personas, running_push):
    client.force_login(personas.staff)
    page = fragment(client, running_push)
    assert 'hx-trigger="every 2s"' in page
    assert 'id="count-done">1<' in page and 'id="count-failed">1<' in page
    assert 'aria-valuenow="2"' in page and 'aria-valuemax="3"' in page
    assert "Retry" not in page  # only once the push has finished

    Order.objects.filter(push=running_push, state="running").update(state="done")
    page = fragment(client, running_push)
    assert "hx-trigger" not in page
    assert 'id="push-finished"' in page
    assert 'data-code="-9019"' in page and "What to do:" in page
    assert "Retry 1 failed site" in page
    orders = f"/certificates/orders/?push={running_push.pk}&amp;error_code=-9019"
    assert orders in page


def test_retry_sends_the_failed_sites_again(client, personas, running_push):
    client.force_login(personas.staff)
    failed = Order.objects.get(push=running_push, state="failed")
    response = client.post(reverse("bulk:retry", args=[running_push.pk]))
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.state == Order.State.PENDING and failed.error_code is None


def test_push_form_refuses_a_malformed_ip_range(client, personas, fleet):
    client.force_login(personas.staff)
    data = {
        "voucher": fleet.voucher_provider.pk,
        "mode": "filter",
        "ip_range": "10.0.0.0/33",
        "contact_email": "ops@provider.test",
        "action": "dry_run",
    }
    response = client.post(reverse("bulk:new"), data)
    assert response.status_code == 200
    assert 'id="id_ip_range_error"' in response.content.decode()
    assert "dry-run" not in response.content.decode()
