"""Login through Django's auth views, throttled per user name and per address."""

import pytest
from django.urls import reverse

from apps.accounts import forms as account_forms

pytestmark = pytest.mark.django_db


def attempt(client, username, password, address="127.0.0.9"):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_login_lands_on_the_personas_page(client, personas):
    response = attempt(client, "customer-a1", "pw-customer-a1")
    assert response.status_code == 302 and response["Location"] == "/"
    assert "My sites" in client.get("/").content.decode()


def test_wrong_password_is_refused(client, personas):
    response = attempt(client, "staff", "wrong")
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_repeated_failures_lock_the_user_name(client, personas):
    for _ in range(account_forms.USER_LIMIT):
        attempt(client, "staff", "wrong")
    response = attempt(client, "staff", "pw-staff")
    assert response.status_code == 200
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another user from the same address still gets in.
    assert attempt(client, "reseller-a", "pw-reseller-a").status_code == 302


def test_repeated_failures_lock_the_address(client, personas):
    for i in range(account_forms.ADDRESS_LIMIT):
        attempt(client, f"nobody-{i}", "wrong", address="127.0.0.77")
    response = attempt(client, "staff", "pw-staff", address="127.0.0.77")
    assert "Too many failed logins" in response.content.decode()
    assert attempt(client, "staff", "pw-staff", address="127.0.0.78").status_code == 302


def test_success_clears_the_user_count(client, personas):
    for _ in range(account_forms.USER_LIMIT - 1):
        attempt(client, "staff", "wrong")
    assert attempt(client, "staff", "pw-staff").status_code == 302
    client.logout()
    attempt(client, "staff", "wrong")
    assert attempt(client, "staff", "pw-staff").status_code == 302


def test_logout_needs_post_and_returns_to_login(client, personas):
    client.force_login(personas.staff)
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert client.get("/").status_code == 302
