"""One journey per persona in a real browser, against the sandbox fleet and CA
with a real Celery worker: provider staff push a voucher onto sites and read the
failures; a reseller assigns a voucher and sets the purchase link; a customer
redeems a voucher, watches the steps, tests the site, turns on renewal, revokes."""

import re

import pytest
from playwright.sync_api import expect

from apps.accounts.models import Account, User
from apps.certificates.models import Certificate
from apps.vouchers.models import Voucher
from tests.browser.conftest import log_in, shot
from tests.pipeline.helpers import fresh_voucher, pick_sites

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PASSWORD = "journey-pw-1"
ORDER_TIMEOUT_MS = 120_000


@pytest.fixture
def world(transactional_db, celery_worker, registered_sandbox, live_server):
    staff = registered_sandbox.staff
    staff.set_password(PASSWORD)
    staff.save()
    return registered_sandbox


def user_for(account: Account, username: str) -> User:
    user = User.objects.create_user(username, password=PASSWORD, account=account)
    return user


def customer_site():
    """An unused in-range site whose owner is a customer below a reseller."""
    for _ in range(30):
        (site,) = pick_sites(1)
        owner = site.owner
        if owner.kind == Account.Kind.CUSTOMER and owner.parent.kind == "reseller":
            return site
    raise AssertionError("no customer site below a reseller in the sandbox")


def test_provider_pushes_a_voucher_and_reads_failures_by_code(page, world):
    inside = pick_sites(2)
    (outside,) = pick_sites(1, in_range=False)
    voucher = fresh_voucher(world, uses=10)
    log_in(page, world.staff.username, PASSWORD)
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.locator(".card", has_text="Plesk servers")).to_contain_text("3")

    page.get_by_role("link", name="Sites", exact=True).click()
    page.get_by_label("Name contains").fill(inside[0].name)
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("td.site")).to_have_count(1)

    page.get_by_role("link", name="Bulk push").click()
    page.get_by_role("link", name="New bulk push").click()
    page.get_by_label("Voucher").select_option(str(voucher.pk))
    page.get_by_label("Contact email").fill("noc@provider.test")
    page.get_by_label("From a list of names (CSV)").check()
    names = "\n".join(site.name for site in [*inside, outside])
    page.get_by_label("Site names", exact=True).fill(names)
    page.get_by_role("button", name="Dry run").click()
    expect(page.locator("#dry-run-passing")).to_have_text("2")
    expect(page.locator("#dry-run")).to_contain_text("-9019")
    shot(page, "bulk-dry-run")

    page.get_by_role("button", name=re.compile("Start push onto 3 sites")).click()
    progress = page.locator("#push-progress")
    expect(progress.locator("#push-finished")).to_be_visible(timeout=ORDER_TIMEOUT_MS)
    expect(progress.locator("#count-done")).to_have_text("2")
    expect(progress.locator("#count-failed")).to_have_text("1")
    failure = progress.locator('.failure[data-code="-9019"]')
    expect(failure).to_contain_text("What to do:")
    shot(page, "bulk-progress")

    failure.get_by_role("link", name=outside.display_name).click()
    expect(page.locator("#order-state")).to_have_text("Failed")
    expect(page.locator(".failure")).to_contain_text("-9019")
    for site in inside:
        site.refresh_from_db()
        assert site.current_certificate is not None

    # Support's view of a done order: every step with its timing and raw answers,
    # the servers' secrets masked.
    page.goto(f"/fleet/sites/{inside[0].pk}/")
    page.locator("section", has_text="Orders").get_by_role("link").first.click()
    expect(page.locator("#order-state")).to_have_text("Done")
    expect(page.locator("li[data-step] .help").first).to_contain_text(" s")
    assert page.locator("details pre.raw").count() > 0
    page.locator("details").first.click()
    shot(page, "order-log")
    secrets = [s["secret_key"] for s in world.sandbox.state()["servers"]]
    assert not any(secret in page.content() for secret in secrets)
    page.get_by_role("link", name="Dashboard").click()
    expect(page.locator(".card.ok", has_text="Secured")).not_to_contain_text("0")
    shot(page, "provider-dashboard")


def test_reseller_assigns_a_voucher_and_sets_the_purchase_link(page, world):
    site = customer_site()
    customer, reseller = site.owner, site.owner.parent
    user_for(reseller, "journey-reseller")
    voucher = fresh_voucher(world, uses=3)
    Voucher.objects.filter(pk=voucher.pk).update(owner=reseller)
    log_in(page, "journey-reseller", PASSWORD)
    expect(page.get_by_role("heading", name=reseller.name)).to_be_visible()
    expect(page.get_by_role("link", name=customer.name)).to_be_visible()
    shot(page, "reseller-home")

    page.get_by_role("link", name=voucher.code).click()
    page.get_by_label("Assign to").select_option(str(customer.pk))
    page.get_by_role("button", name="Assign voucher").click()
    expect(page.locator(".messages")).to_contain_text(f"assigned to {customer.name}")
    assert Voucher.objects.get(pk=voucher.pk).owner == customer

    page.get_by_role("link", name="Settings").click()
    page.get_by_label(re.compile("Purchase link")).fill("https://reseller.test/buy")
    page.get_by_role("button", name="Save link").click()
    expect(page.locator(".messages")).to_contain_text("purchase link was saved")
    page.get_by_role("link", name="Customers").click()
    page.get_by_role("link", name=customer.name).click()
    expect(page.locator("dl.facts")).to_contain_text("https://reseller.test/buy")
    expect(page.get_by_role("link", name=site.display_name)).to_be_visible()


def test_customer_redeems_tests_renews_and_revokes(page, world):
    site = customer_site()
    customer = site.owner
    user_for(customer, "journey-customer")
    voucher = fresh_voucher(world, uses=2)
    Voucher.objects.filter(pk=voucher.pk).update(owner=customer)
    log_in(page, "journey-customer", PASSWORD)
    expect(page.get_by_role("heading", name="My sites")).to_be_visible()
    expect(page.get_by_role("link", name=site.display_name)).to_be_visible()

    page.get_by_role("link", name="Redeem a voucher").click()
    page.get_by_label("Website").select_option(str(site.pk))
    typed = "-".join(re.findall(".{1,4}", voucher.code.lower()))
    page.get_by_label("Voucher code").fill(typed)
    page.get_by_label("Contact email").fill("owner@customer.test")
    page.get_by_label("I have read and accept the subscriber terms.").check()
    page.get_by_role("button", name="Activate SSL").click()
    steps = page.locator("#order-steps")
    expect(steps.locator("li[data-step]").first).to_be_visible(timeout=30_000)
    expect(page.locator("#order-state")).to_have_text("Done", timeout=ORDER_TIMEOUT_MS)
    expect(steps).to_contain_text("Installed and served")
    assert steps.locator("li[data-outcome=ok]").count() >= 5
    shot(page, "redeem-steps")

    page.get_by_role("link", name="My sites").click()
    shot(page, "customer-home")
    page.get_by_role("link", name=site.display_name).click()
    page.get_by_role("button", name="Test my site").click()
    expect(page.locator("#site-test")).to_contain_text("Healthy", timeout=30_000)
    expect(page.locator("#health-checks tbody tr")).to_have_count(1)
    shot(page, "site-test")

    page.get_by_role("link", name="My sites").click()
    page.get_by_role("button", name="Turn automatic renewal on").click()
    expect(
        page.get_by_role("button", name="Turn automatic renewal off")
    ).to_be_visible()
    customer.refresh_from_db()
    assert customer.auto_renew

    certificate = Certificate.objects.get(site=site, status="active")
    spaced = ":".join(re.findall("..", certificate.serial_hex)).upper()
    page.get_by_role("link", name="Revoke", exact=True).click()
    page.get_by_label("Serial number").fill(spaced)
    page.get_by_role("button", name="Find certificate").click()
    expect(page.locator(".warning-box")).to_contain_text("cannot be undone")
    page.get_by_label(re.compile("revoking cannot be undone")).check()
    shot(page, "revoke-confirm")
    page.get_by_role("button", name="Revoke certificate").click()
    expect(page.locator("#revoked")).to_be_visible(timeout=ORDER_TIMEOUT_MS)
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    expect(page.get_by_role("heading", name="Replace it")).to_be_visible()
