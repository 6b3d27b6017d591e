import datetime as dt

import pytest

from apps.accounts.models import NotificationSetting
from apps.bulk.models import Push
from apps.ca import errors
from apps.certificates.lifecycle import digest
from apps.certificates.lifecycle.models import Delivery, Notice
from apps.certificates.lifecycle.notifications import notify
from apps.certificates.models import Certificate, Order
from apps.core import clock
from tests.lifecycle import pki
from tests.lifecycle.conftest import make_voucher


@pytest.fixture
def people(personas):
    """Every persona with an address; customer A1's account has a contact too."""
    for user in (
        personas.staff,
        personas.reseller_a_user,
        personas.customer_a1_user,
        personas.reseller_b_user,
        personas.customer_b1_user,
    ):
        user.email = f"{user.username}@example.test"
        user.save()
    personas.customer_a1.email = "office@a1.example"
    personas.customer_a1.save()
    return personas


def _order(site, *, state=Order.State.DONE, push=None, certificate=None, code=None):
    order = Order.objects.create(
        site=site, state=state, push=push, contact_email="buyer@a1.example"
    )
    if code is not None:
        info = errors.lookup(code)
        order.error_code = code
        order.error_message = str(info.message)
        order.error_advice = str(info.advice)
    order.certificate = certificate
    order.save()
    return order


def _to(mailbox) -> list[str]:
    return sorted(address for m in mailbox for address in m.to)


def test_an_order_placed_by_hand_is_mailed_at_once_in_text_and_html(
    fleet, people, lab_ca, mailoutbox, django_capture_on_commit_callbacks
):
    site = fleet.site("shop.example", people.customer_a1)
    certificate = pki.record(site, lab_ca.leaf("shop.example", "www.shop.example"))

    with django_capture_on_commit_callbacks(execute=True):
        notify("issued", _order(site, certificate=certificate))

    # Issued: the customer's user, its contact address and the buyer; resellers and
    # staff hear only of their own issues by default.
    assert _to(mailoutbox) == [
        "buyer@a1.example",
        "customer-a1@example.test",
        "office@a1.example",
    ]
    mail = mailoutbox[0]
    assert mail.subject == "Certificate issued for shop.example"
    assert certificate.serial_hex in mail.body and "www.shop.example" in mail.body
    html, kind = mail.alternatives[0]
    assert kind == "text/html" and certificate.serial_hex in html
    assert Notice.objects.get().sent_at is not None


def test_a_failure_carries_code_message_and_advice_up_the_hierarchy(
    fleet, people, mailoutbox, django_capture_on_commit_callbacks
):
    site = fleet.site("fail.example", people.customer_a1)

    with django_capture_on_commit_callbacks(execute=True):
        notify("failed", _order(site, state="failed", code=errors.IP_OUT_OF_RANGE))

    assert _to(mailoutbox) == [
        "buyer@a1.example",
        "customer-a1@example.test",
        "office@a1.example",
        "reseller-a@example.test",
        "staff@example.test",
    ]
    body = mailoutbox[0].body
    assert "-9019" in body and "outside the ranges" in body
    assert "Use a voucher for this address range" in body
    assert "-9019" in mailoutbox[0].subject


def test_the_same_outcome_is_told_once(
    fleet, people, mailoutbox, django_capture_on_commit_callbacks
):
    site = fleet.site("twice.example", people.customer_a1)
    order = _order(site, state="failed", code=errors.DNS_UNRESOLVED)
    with django_capture_on_commit_callbacks(execute=True):
        notify("failed", order)
        assert notify("failed", order) is None
    assert len(mailoutbox) == 5


def test_a_bulk_run_becomes_one_digest_per_recipient_per_day(
    fleet, people, mailoutbox, django_capture_on_commit_callbacks
):
    voucher = make_voucher(people.provider)
    push = Push.objects.create(voucher=voucher)
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(5):
            site = fleet.site(f"bulk{i}.example", people.customer_a1)
            notify("failed", _order(site, state="failed", push=push, code=-9019))
    assert mailoutbox == []

    sent = digest.send_digests()

    assert sorted(d.email for d in sent) == [
        "buyer@a1.example",
        "customer-a1@example.test",
        "office@a1.example",
        "reseller-a@example.test",
        "staff@example.test",
    ]
    assert len(mailoutbox) == len(sent)
    for mail in mailoutbox:
        assert all(f"bulk{i}.example" in mail.body for i in range(5))
        assert "5 updates" in mail.subject
    assert Notice.objects.filter(sent_at__isnull=True).count() == 0

    # More the same day waits for tomorrow's digest.
    site = fleet.site("late.example", people.customer_a1)
    notify("failed", _order(site, state="failed", push=push, code=-9019))
    mailoutbox.clear()
    assert digest.send_digests() == [] and mailoutbox == []
    clock.advance(dt.timedelta(days=1))
    assert len(digest.send_digests()) == 5
    assert all("late.example" in m.body for m in mailoutbox)


def _expiring(fleet, people, lab_ca, name="old.example", days=40, owner=None):
    site = fleet.site(name, owner or people.customer_a1)
    return pki.record(site, lab_ca.leaf(name, days=days))


def test_each_expiry_warning_goes_once_per_certificate_and_threshold(
    fleet, people, lab_ca, mailoutbox
):
    certificate = _expiring(fleet, people, lab_ca, days=40)

    assert digest.warn_expiring() == []
    clock.advance(dt.timedelta(days=11))  # 29 days left: the 30-day warning
    assert [n.data["threshold"] for n in digest.warn_expiring()] == [30]
    assert digest.warn_expiring() == []
    clock.advance(dt.timedelta(days=16))  # 13 days left: the 14-day warning only
    assert [n.data["threshold"] for n in digest.warn_expiring()] == [14]
    clock.advance(dt.timedelta(hours=2))
    assert digest.warn_expiring() == []

    keys = sorted(Notice.objects.values_list("key", flat=True))
    assert keys == [f"expiring:{certificate.pk}:14", f"expiring:{certificate.pk}:30"]
    digest.send_digests()
    to_customer = [m for m in mailoutbox if m.to == ["customer-a1@example.test"]]
    assert len(to_customer) == 1 and "Certificate expiring (2)" in to_customer[0].body
    assert "expires in 12 days" in to_customer[0].body
    # The buyer of an order is not told of expiry; the account's contact is.
    assert "buyer@a1.example" not in _to(mailoutbox)
    assert "office@a1.example" in _to(mailoutbox)


def test_no_warning_for_a_certificate_already_replaced(
    fleet, people, lab_ca, mailoutbox
):
    old = _expiring(fleet, people, lab_ca, days=20)
    queued = digest.warn_expiring(clock.now() - dt.timedelta(days=1))
    assert [n.certificate_id for n in queued] == [old.pk]

    # Replaced before the digest went out: the queued warning is dropped...
    new = pki.record(old.site, lab_ca.leaf(old.site.name, days=90))
    Certificate.objects.filter(pk=old.pk).update(status=Certificate.Status.REPLACED)
    clock.advance(dt.timedelta(days=15))
    digest.send_digests()

    assert mailoutbox == []
    assert Notice.objects.get(certificate=old).dropped == "certificate is replaced"
    # ...and later thresholds of the old certificate never come.
    clock.advance(dt.timedelta(days=2))
    assert digest.warn_expiring() == [] and new.not_after > clock.now()


def test_opted_in_sites_are_not_warned_while_renewal_is_on_course(
    fleet, people, lab_ca
):
    people.customer_a1.auto_renew = True
    people.customer_a1.save()
    certificate = _expiring(fleet, people, lab_ca, days=10)
    assert digest.warn_expiring() == []

    from apps.certificates.lifecycle.models import Renewal

    Renewal.objects.create(
        certificate=certificate,
        site=certificate.site,
        server=certificate.site.server,
        scheduled_at=clock.now(),
        created_at=clock.now(),
        state=Renewal.State.FAILED,
    )
    assert [n.data["threshold"] for n in digest.warn_expiring()] == [14]


def test_recipients_come_from_the_settings_at_sending_time(
    fleet, people, lab_ca, mailoutbox
):
    _expiring(fleet, people, lab_ca, days=5)
    digest.warn_expiring()

    # After the warning was queued: the customer's user turns expiry mail off, the
    # reseller sends it to another address, and staff stop hearing of other accounts.
    NotificationSetting.objects.create(user=people.customer_a1_user, expiring="none")
    NotificationSetting.objects.create(
        user=people.reseller_a_user, email="alerts@reseller-a.example"
    )
    NotificationSetting.objects.create(user=people.staff, expiring="own")
    NotificationSetting.objects.filter(user=people.reseller_a_user).update(
        expiring="below"
    )
    digest.send_digests()

    assert _to(mailoutbox) == ["alerts@reseller-a.example", "office@a1.example"]
    assert Delivery.objects.count() == 2


def test_other_tenants_hear_nothing(fleet, people, lab_ca, mailoutbox):
    _expiring(fleet, people, lab_ca, name="b1.example", owner=people.customer_b1)
    clock.advance(dt.timedelta(days=30))
    digest.send_digests()
    assert _to(mailoutbox) == [
        "customer-b1@example.test",
        "reseller-b@example.test",
        "staff@example.test",
    ]


def test_a_revocation_is_told_at_once_even_for_a_pushed_certificate(
    fleet, people, lab_ca, mailoutbox, django_capture_on_commit_callbacks
):
    push = Push.objects.create(voucher=make_voucher(people.provider))
    site = fleet.site("pushed.example", people.customer_a1)
    certificate = pki.record(site, lab_ca.leaf("pushed.example"))
    with django_capture_on_commit_callbacks(execute=True):
        issued = notify("issued", _order(site, push=push, certificate=certificate))
        assert issued.digest and mailoutbox == []  # the push's news waits
        notify("revoked", certificate)

    assert {m.subject for m in mailoutbox} == {
        "Certificate for pushed.example was revoked"
    }
    assert "customer-a1@example.test" in _to(mailoutbox)
    assert "reseller-a@example.test" in _to(mailoutbox)  # revocations go up
