"""What each persona changes through the pages: purchase link, automatic renewal,
voucher import / assign / cancel, redeem and revoke refusals, bulk dry run."""

import pytest
from django.urls import reverse

from apps.accounts.models import Account
from apps.audit.models import AuditEvent
from apps.bulk.models import Push
from apps.fleet.models import Site
from apps.vouchers.models import Voucher
from tests.web.conftest import make_site

pytestmark = pytest.mark.django_db


def as_user(client, user):
    client.force_login(user)
    return client


def test_purchase_link_is_inherited_unless_set(client, personas, fleet):
    as_user(client, personas.staff).post(
        reverse("accounts:purchase_link"),
        {"purchase_url": "https://shop.provider.test"},
    )
    page = as_user(client, personas.customer_a1_user).get(
        reverse("certificates:redeem")
    )
    assert "https://shop.provider.test" in page.content.decode()

    as_user(client, personas.reseller_a_user).post(
        reverse("accounts:purchase_link"),
        {"purchase_url": "https://reseller-a.test/buy"},
    )
    page = as_user(client, personas.customer_a1_user).get(
        reverse("certificates:redeem")
    )
    assert "https://reseller-a.test/buy" in page.content.decode()
    page = as_user(client, personas.customer_b1_user).get(
        reverse("certificates:redeem")
    )
    assert "https://shop.provider.test" in page.content.decode()
    assert (
        AuditEvent.objects.filter(action="account.purchase_link_changed").count() == 2
    )


def test_purchase_link_rejects_bad_urls_and_customers(client, personas):
    response = as_user(client, personas.reseller_a_user).post(
        reverse("accounts:purchase_link"), {"purchase_url": "not a url"}
    )
    assert response.status_code == 400
    assert "Enter a valid URL" in response.content.decode()
    response = as_user(client, personas.customer_a1_user).post(
        reverse("accounts:purchase_link"), {"purchase_url": "https://x.test"}
    )
    assert response.status_code == 404


def test_customer_turns_automatic_renewal_on_and_off(client, personas):
    as_user(client, personas.customer_a1_user)
    client.post(reverse("accounts:auto_renew"), {"auto_renew": "on", "next": "home"})
    assert Account.objects.get(pk=personas.customer_a1.pk).auto_renew
    page = client.get(reverse("home")).content.decode()
    assert "Turn automatic renewal off" in page
    client.post(reverse("accounts:auto_renew"), {})
    assert not Account.objects.get(pk=personas.customer_a1.pk).auto_renew
    assert AuditEvent.objects.filter(action="account.auto_renew_changed").count() == 2


CSV_OK = (
    "code,kind,expires,uses,networks\n"
    "KMPRTXXX2345678A,super,2030-01-31,20,127.0.1.0/24\n"
)
CSV_BAD = (
    "code,kind,expires\n"
    "KMPRTYYY2345678A,super,2030-01-31\n"
    "KMPRTZZZ2345678A,bogus,2030\n"
)


def upload(client, text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile("vouchers.csv", text.encode(), "text/csv")
    return client.post(reverse("vouchers:import"), {"file": file})


def test_staff_imports_vouchers_with_a_report(client, personas):
    as_user(client, personas.staff)
    response = upload(client, CSV_BAD)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing imported" in page and "kind: one of trial" in page
    assert not Voucher.objects.filter(code__startswith="KMPRT").exists()

    response = upload(client, CSV_OK)
    assert response.status_code == 200
    assert Voucher.objects.get(code="KMPRTXXX2345678A").uses_allowed == 20


def test_reseller_assigns_a_voucher_down_to_its_customer(client, personas, fleet):
    as_user(client, personas.reseller_a_user)
    page = client.get(reverse("vouchers:detail", args=[fleet.voucher_a.pk]))
    assert "Customer A1" in page.content.decode()
    assert "Customer B1" not in page.content.decode()
    assert "Cancel voucher" not in page.content.decode()  # staff only

    url = reverse("vouchers:assign", args=[fleet.voucher_a.pk])
    client.post(url, {"account": personas.customer_b1.pk})
    assert Voucher.objects.get(pk=fleet.voucher_a.pk).owner == personas.reseller_a
    client.post(url, {"account": personas.customer_a1.pk})
    assert Voucher.objects.get(pk=fleet.voucher_a.pk).owner == personas.customer_a1


def test_staff_cancels_a_voucher_after_confirming(client, personas, fleet):
    as_user(client, personas.staff)
    url = reverse("vouchers:cancel", args=[fleet.voucher_a.pk])
    client.post(url, {})
    assert Voucher.objects.get(pk=fleet.voucher_a.pk).status == "active"
    client.post(url, {"confirm": "on"})
    assert Voucher.objects.get(pk=fleet.voucher_a.pk).status == "cancelled"


def redeem(client, site, code, terms=True):
    data = {"site": site.pk, "voucher_code": code, "contact_email": "a1@example.com"}
    if terms:
        data["accepted_terms"] = "on"
    return client.post(reverse("certificates:redeem"), data)


def test_redeem_shows_code_message_and_advice(client, personas, fleet):
    as_user(client, personas.customer_a1_user)
    response = redeem(client, fleet.site_a_plain, "NOSUCHVOUCHER234")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Error -9001" in page and "What to do:" in page

    response = redeem(client, fleet.site_a_plain, "NOSUCHVOUCHER234", terms=False)
    assert "Accept the subscriber terms to continue." in response.content.decode()


def test_revoke_finds_the_serial_in_any_spelling_and_asks_to_confirm(
    client, personas, fleet
):
    as_user(client, personas.customer_a1_user)
    response = client.post(
        reverse("certificates:revoke"), {"serial": "01:00:01:16:17:90:4C:9E"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "This cannot be undone." in page and "shop-a.example" in page

    url = reverse("certificates:revoke_confirm")
    response = client.post(url, {"certificate": fleet.cert_a.pk})
    assert response.status_code == 400  # not confirmed
    response = client.post(url, {"certificate": fleet.cert_a.pk, "confirm": "on"})
    # No CA is configured in this test: the refusal carries its code and advice.
    assert response.status_code == 400
    assert "Error 7606" in response.content.decode()
    fleet.cert_a.refresh_from_db()
    assert fleet.cert_a.status == "active"


def test_revoke_of_an_unknown_serial(client, personas, fleet):
    as_user(client, personas.customer_a1_user)
    response = client.post(reverse("certificates:revoke"), {"serial": "0xdeadbeef"})
    assert response.status_code == 404
    assert "Error 7605" in response.content.decode()
    response = client.post(reverse("certificates:revoke"), {"serial": "xyz!"})
    assert "is not a serial number" in response.content.decode()


def test_bulk_dry_run_shows_pass_or_reason_per_site(client, personas, fleet):
    outside = make_site(fleet.server, personas.customer_b1, "far.example", "10.9.9.9")
    risky = make_site(fleet.server, personas.customer_b1, "paypal-login.example")
    as_user(client, personas.staff)
    data = {
        "voucher": fleet.voucher_provider.pk,
        "mode": "filter",
        "customer": personas.customer_b1.pk,
        "contact_email": "ops@provider.test",
        "action": "dry_run",
    }
    response = client.post(reverse("bulk:new"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="dry-run-passing">1<' in page  # shop-b.example
    assert 'id="dry-run-failing">2<' in page
    assert "-9019" in page and "-5001" in page
    assert not Push.objects.exclude(pk=fleet.push.pk).exists()

    response = client.post(reverse("bulk:new"), {**data, "action": "start"})
    push = Push.objects.exclude(pk=fleet.push.pk).get()
    assert response["Location"] == reverse("bulk:detail", args=[push.pk])
    assert set(push.target["site_ids"]) == {fleet.site_b.pk, outside.pk, risky.pk}


def test_bulk_targets_from_a_csv_list(client, personas, fleet):
    from django.core.files.uploadedfile import SimpleUploadedFile

    as_user(client, personas.staff)
    csv = SimpleUploadedFile("t.csv", b"shop-a.example,x\nnot-here.example\n")
    data = {
        "voucher": fleet.voucher_provider.pk,
        "mode": "csv",
        "csv_file": csv,
        "contact_email": "ops@provider.test",
        "action": "dry_run",
    }
    page = client.post(reverse("bulk:new"), data).content.decode()
    assert "not-here.example" in page  # reported as not a site
    assert 'id="dry-run-passing">1<' in page
    # The names ride along in the form, so "start" pushes what the dry run showed.
    assert "shop-a.example\nnot-here.example</textarea>" in page
    assert Site.objects.filter(name="shop-a.example").exists()


def test_email_settings_start_from_role_defaults_and_are_saved(client, personas):
    from apps.accounts.models import NotificationSetting

    as_user(client, personas.reseller_a_user)
    page = client.get(reverse("accounts:settings")).content.decode()
    main = page[page.index("<main") :]
    assert 'action="/account/settings/notifications/"' in main
    assert '<option value="below" selected>' in main  # resellers hear of failures
    data = {
        "issued": "none",
        "failed": "below",
        "expiring": "own",
        "revoked": "own",
        "email": "ops@reseller-a.test",
    }
    client.post(reverse("accounts:notifications"), data)
    setting = NotificationSetting.objects.get(user=personas.reseller_a_user)
    assert (setting.issued, setting.failed, setting.email) == (
        "none",
        "below",
        "ops@reseller-a.test",
    )


def test_customers_choose_only_their_own_sites(client, personas):
    from apps.accounts.models import NotificationSetting

    as_user(client, personas.customer_a1_user)
    data = {"issued": "below", "failed": "own", "expiring": "own", "revoked": "own"}
    response = client.post(reverse("accounts:notifications"), data)
    assert response.status_code == 400
    assert not NotificationSetting.objects.exists()
