"""Shared fixtures: the named personas every ownership test speaks of.

Provider staff see everything; reseller A with customer A1 and reseller B with
customer B1 see only their own subtree.
"""

from dataclasses import dataclass

import pytest

from apps.accounts.models import Account, User

pytest_plugins = ["tests.fixtures.sandbox", "tests.fixtures.worker"]


@dataclass
class Personas:
    provider: Account
    reseller_a: Account
    customer_a1: Account
    reseller_b: Account
    customer_b1: Account
    staff: User
    reseller_a_user: User
    customer_a1_user: User
    reseller_b_user: User
    customer_b1_user: User


def _user(username: str, account: Account) -> User:
    return User.objects.create_user(
        username, password="pw-" + username, account=account
    )


@pytest.fixture
def personas(db) -> Personas:
    provider = Account.objects.create(kind=Account.Kind.PROVIDER, name="Provider")
    reseller_a = Account.objects.create(
        kind="reseller", name="Reseller A", parent=provider
    )
    customer_a1 = Account.objects.create(
        kind="customer", name="Customer A1", parent=reseller_a
    )
    reseller_b = Account.objects.create(
        kind="reseller", name="Reseller B", parent=provider
    )
    customer_b1 = Account.objects.create(
        kind="customer", name="Customer B1", parent=reseller_b
    )
    return Personas(
        provider=provider,
        reseller_a=reseller_a,
        customer_a1=customer_a1,
        reseller_b=reseller_b,
        customer_b1=customer_b1,
        staff=_user("staff", provider),
        reseller_a_user=_user("reseller-a", reseller_a),
        customer_a1_user=_user("customer-a1", customer_a1),
        reseller_b_user=_user("reseller-b", reseller_b),
        customer_b1_user=_user("customer-b1", customer_b1),
    )
