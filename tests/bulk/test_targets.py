"""Choosing a push's sites, the dry run, and progress grouped by code."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command

from apps.bulk import services
from apps.bulk.models import Push
from apps.ca import errors
from apps.ca.errors import CertfleetError
from apps.certificates.models import Order
from apps.core import clock
from apps.fleet.models import PleskServer, Site
from apps.vouchers import codes
from apps.vouchers.models import Voucher


@pytest.fixture
def fleet(personas):
    one = PleskServer.objects.create(name="one.example", host="127.0.1.1", secret="k")
    two = PleskServer.objects.create(name="two.example", host="127.0.1.2", secret="k")

    def site(server, name, owner, ips):
        return Site.objects.create(
            server=server, owner=owner, name=name, display_name=name, ip_addresses=ips
        )

    return {
        "a1": site(one, "a1.example", personas.customer_a1, ["127.0.1.1"]),
        "a1-out": site(one, "out.example", personas.customer_a1, ["127.0.2.1"]),
        "b1": site(two, "b1.example", personas.customer_b1, ["127.0.1.2"]),
        "risky": site(two, "paypal-help.example", personas.customer_b1, ["127.0.1.2"]),
        "servers": (one, two),
    }


@pytest.fixture
def voucher(personas):
    return Voucher.objects.create(
        code="BULKTEST2026",
        kind="super",
        certificate_days=365,
        expires_at=clock.now() + timedelta(days=365),
        networks=["127.0.1.0/24"],
        uses_allowed=10,
        owner=personas.provider,
    )


def names(sites) -> set[str]:
    return {s.name for s in sites}


def test_staff_see_every_site_a_reseller_only_their_own(personas, fleet):
    assert len(services.select_sites(personas.staff, {})) == 4
    mine = services.select_sites(personas.reseller_a_user, {})
    assert names(mine) == {"a1.example", "out.example"}
    theirs = services.select_sites(personas.customer_b1_user, {})
    assert names(theirs) == {"b1.example", "paypal-help.example"}


def test_filters_by_server_account_and_ip_range(personas, fleet):
    one, two = fleet["servers"]
    staff = personas.staff
    assert names(services.select_sites(staff, {"server": two.pk})) == {
        "b1.example",
        "paypal-help.example",
    }
    by_reseller = services.select_sites(staff, {"reseller": personas.reseller_b.pk})
    assert names(by_reseller) == {"b1.example", "paypal-help.example"}
    in_range = services.select_sites(staff, {"ip_range": "127.0.2.0/24"})
    assert names(in_range) == {"out.example"}


def test_not_yet_secured_and_expiring(personas, fleet):
    from apps.certificates.models import Certificate

    site = fleet["a1"]
    cert = Certificate.objects.create(
        site=site,
        serial_key="1",
        serial_hex="01",
        subject_cn=site.name,
        issuer="CN=x",
        not_before=clock.now(),
        not_after=clock.now() + timedelta(days=10),
        fingerprint_sha256="00",
        cert_pem="-",
        key_pem="-",
    )
    Site.objects.filter(pk=site.pk).update(current_certificate=cert)
    staff = personas.staff
    assert site.name not in names(services.select_sites(staff, {"not_secured": True}))
    assert names(services.select_sites(staff, {"expiring_days": 30})) == {site.name}
    assert not services.select_sites(staff, {"expiring_days": 5})


def test_dry_run_says_why_per_site_and_orders_nothing(personas, fleet, voucher):
    sites = services.select_sites(personas.staff, {})
    rows = {
        row.site.name: row for row in services.dry_run(voucher=voucher, sites=sites)
    }
    assert rows["a1.example"].ok and rows["b1.example"].ok
    assert rows["out.example"].codes == [errors.IP_OUT_OF_RANGE]
    assert rows["paypal-help.example"].codes[0] == errors.HIGH_RISK_NAME
    assert not Order.objects.exists()


def test_progress_counts_and_groups_failures_in_one_query(
    personas, fleet, voucher, django_assert_num_queries
):
    push = Push.objects.create(
        voucher=voucher,
        state="running",
        target={"site_ids": [fleet[k].pk for k in ("a1", "a1-out", "b1", "risky")]},
    )
    for key, state, code in [
        ("a1", "done", None),
        ("a1-out", "failed", errors.IP_OUT_OF_RANGE),
        ("risky", "held", errors.HIGH_RISK_NAME),
    ]:
        Order.objects.create(site=fleet[key], push=push, state=state, error_code=code)
    with django_assert_num_queries(1):
        state = services.progress(push)
    assert (state.total, state.done, state.failed, state.held) == (4, 1, 1, 1)
    assert state.waiting == 1 and not state.complete
    (group,) = state.failures
    assert (group.code, group.count) == (errors.IP_OUT_OF_RANGE, 1)
    assert "outside" in group.message and group.advice


def test_an_unknown_or_foreign_account_reads_the_same(personas, fleet):
    reseller = personas.reseller_a_user
    refusals = []
    for field_name, value in [
        ("reseller", personas.reseller_b.pk),  # another tenant's
        ("customer", personas.customer_b1.pk),
        ("reseller", 999_999),  # nobody's
        ("customer", "not-an-id"),
    ]:
        with pytest.raises(CertfleetError) as refused:
            services.select_sites(reseller, {field_name: value})
        assert refused.value.code == errors.ACCOUNT_UNKNOWN
        refusals.append(str(refused.value).replace(str(value), "<id>"))
    # The same words whether the account exists elsewhere or not at all.
    assert len(set(refusals)) == 2  # one per field name

    own = services.select_sites(reseller, {"customer": personas.customer_a1.pk})
    assert names(own) == {"a1.example", "out.example"}
    with pytest.raises(CertfleetError) as refused:
        services.select_sites(personas.staff, {"reseller": 999_999})
    assert refused.value.code == errors.ACCOUNT_UNKNOWN


def test_a_push_command_naming_a_foreign_account_is_a_usage_error(
    personas, fleet, voucher
):
    voucher.owner = personas.reseller_a
    voucher.code = codes.normalize(voucher.code)  # stored form
    voucher.save()
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command(
            "push",
            f"--voucher={voucher.code}",
            "--email=ops@example.org",
            f"--reseller={personas.reseller_b.pk}",
            "--user=reseller-a",
            "--dry-run",
            stdout=out,
            stderr=err,
        )
    assert failed.value.returncode == 2
    assert str(errors.ACCOUNT_UNKNOWN) in str(failed.value)
