"""Bad input on the pages gives a clear error with a code, never a 500 or an
empty push; a customer never reads a voucher code that is not theirs."""

import pytest
from django.urls import reverse

from apps.bulk.models import Push

pytestmark = pytest.mark.django_db


def push_form(fleet, **fields) -> dict:
    return {
        "voucher": fleet.voucher_provider.pk,
        "mode": "filter",
        "contact_email": "ops@provider.test",
        "action": "dry_run",
        **fields,
    }


def test_a_huge_expiring_days_is_a_field_error(client, personas, fleet):
    client.force_login(personas.staff)
    data = push_form(fleet, expiring_days="9999999999", action="start")
    response = client.post(reverse("bulk:new"), data)
    assert response.status_code == 200
    assert 'id="id_expiring_days_error"' in response.content.decode()
    assert Push.objects.count() == 1  # the fixture's only


def test_a_push_start_naming_no_existing_site_is_refused(client, personas, fleet):
    client.force_login(personas.staff)
    data = push_form(
        fleet, mode="csv", names="nope-1.example\nnope-2.example", action="start"
    )
    response = client.post(reverse("bulk:new"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "7009" in page and "No active site" in page
    assert Push.objects.count() == 1
    # A filter that matches nothing is refused the same way.
    data = push_form(fleet, ip_range="10.9.0.0/16", action="start")
    response = client.post(reverse("bulk:new"), data)
    assert response.status_code == 400 and "7009" in response.content.decode()
    assert Push.objects.count() == 1


def test_order_page_masks_a_voucher_code_the_customer_does_not_own(
    client, personas, fleet
):
    url = reverse("certificates:order", args=[fleet.order_a.pk])
    client.force_login(personas.customer_a1_user)
    page = client.get(url).content.decode()
    assert fleet.voucher_provider.code not in page
    assert "****" + fleet.voucher_provider.code[-4:] in page
    client.force_login(personas.staff)
    assert fleet.voucher_provider.code in client.get(url).content.decode()
    # A customer's own voucher stays readable to them.
    client.force_login(personas.customer_b1_user)
    own = reverse("certificates:order", args=[fleet.order_b.pk])
    assert fleet.voucher_b.code in client.get(own).content.decode()


def test_request_errors_are_logged_to_the_console():
    """A 500's traceback (logger django.request, level ERROR) reaches stderr."""
    import logging

    logger = logging.getLogger("django.request")
    assert logger.isEnabledFor(logging.ERROR)
    assert any(
        isinstance(handler, logging.StreamHandler) for handler in logger.handlers
    )
