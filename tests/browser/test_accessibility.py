"""Accessibility basics in a real browser: every form control has a label, every
button and link a name, each page a language and one main heading; and the login
works from the keyboard alone."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

PROBLEMS_JS = """
() => {
  const visible = (el) =>
    !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const problems = [];
  if (!document.documentElement.lang) problems.push('html without lang');
  if (document.querySelectorAll('h1').length !== 1) problems.push('not one h1');
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (el.type === 'hidden' || !visible(el)) continue;
    const named = el.labels.length || el.getAttribute('aria-label');
    if (!named) problems.push('unlabelled ' + el.tagName + ' ' + el.name);
  }
  for (const el of document.querySelectorAll('a, button')) {
    if (!visible(el)) continue;
    const name = (el.innerText || el.getAttribute('aria-label') || '').trim();
    if (!name) problems.push('nameless ' + el.outerHTML.slice(0, 80));
  }
  return problems;
}
"""

PAGES = {
    "staff": [
        "/",
        "/fleet/servers/",
        "/fleet/servers/add/",
        "/fleet/sites/",
        "/vouchers/",
        "/vouchers/import/",
        "/bulk/",
        "/bulk/new/",
        "/certificates/orders/",
        "/certificates/redeem/",
        "/certificates/revoke/",
        "/audit/",
        "/account/settings/",
    ],
    "reseller-a": ["/", "/account/customers/", "/vouchers/", "/account/settings/"],
    "customer-a1": ["/", "/certificates/redeem/", "/account/settings/"],
}


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.parametrize("username", sorted(PAGES))
def test_pages_have_labels_names_and_headings(
    page,
    transactional_db,
    fast_passwords,
    personas,
    fleet,
    username,
):
    log_in(page, username, f"pw-{username}")
    for path in PAGES[username]:
        page.goto(path)
        assert page.evaluate(PROBLEMS_JS) == [], path
    page.goto(f"/fleet/sites/{fleet.site_a.pk}/")
    assert page.evaluate(PROBLEMS_JS) == []


def test_login_with_the_keyboard_alone(
    page, transactional_db, fast_passwords, personas
):
    page.goto("/accounts/login/")
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_username":
            break
    page.keyboard.type("customer-a1")
    page.keyboard.press("Tab")
    page.keyboard.type("pw-customer-a1")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="My sites")).to_be_visible()


def test_skip_link_is_first_and_moves_to_content(
    page, transactional_db, fast_passwords, personas
):
    log_in(page, "staff", "pw-staff")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"


def test_the_check_finds_what_it_looks_for(page):
    page.set_content("<h1>x</h1><input name='q'><button></button><a href='/'></a>")
    problems = page.evaluate(PROBLEMS_JS)
    assert "html without lang" in problems and "unlabelled INPUT q" in problems
    assert sum(p.startswith("nameless") for p in problems) == 2
