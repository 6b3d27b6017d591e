"""A push filter narrows only by the keys it has: a typo, an account of the wrong
kind or an absurd number of days is refused, never read as "every site"."""

import io

import pytest
from django.core.management import CommandError, call_command

from apps.bulk import services
from apps.ca import errors
from apps.ca.errors import CertfleetError
from apps.vouchers import codes
from tests.bulk.test_targets import fleet, voucher  # noqa: F401


@pytest.mark.parametrize("bad", [{"ip-range": "127.0.1.0/30"}, {"server_id": 3}])
def test_select_sites_refuses_an_unknown_key(personas, fleet, bad):  # noqa: F811
    with pytest.raises(CertfleetError) as refused:
        services.select_sites(personas.staff, bad)
    assert refused.value.code == errors.API_INVALID
    assert next(iter(bad)) in refused.value.detail


def test_an_account_of_the_wrong_kind_is_unknown(personas, fleet):  # noqa: F811
    for field_name, wrong, unknown in [
        ("reseller", personas.customer_a1.pk, 999_999),
        ("customer", personas.reseller_a.pk, 999_998),
    ]:
        words = []
        for value in (wrong, unknown):
            with pytest.raises(CertfleetError) as refused:
                services.select_sites(personas.staff, {field_name: value})
            assert refused.value.code == errors.ACCOUNT_UNKNOWN
            words.append(str(refused.value).replace(str(value), "<id>"))
        assert words[0] == words[1]
    right = services.select_sites(personas.staff, {"reseller": personas.reseller_a.pk})
    assert {site.name for site in right} == {"a1.example", "out.example"}


@pytest.mark.parametrize("days", [9_999_999_999, 3651, -1, "many"])
def test_expiring_days_is_bounded(personas, fleet, days):  # noqa: F811
    with pytest.raises(CertfleetError) as refused:
        services.select_sites(personas.staff, {"expiring_days": days})
    assert refused.value.code == errors.API_INVALID
    assert len(services.select_sites(personas.staff, {"expiring_days": 3650})) == 0


def run_push(voucher, *arguments) -> CommandError:  # noqa: F811
    with pytest.raises(CommandError) as failed:
        call_command(
            "push",
            f"--voucher={voucher.code}",
            "--email=ops@example.org",
            "--user=staff",
            *arguments,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    return failed.value


def test_push_command_exits_2_on_wrong_kind_or_no_match(
    personas,
    fleet,  # noqa: F811
    voucher,  # noqa: F811
):
    voucher.code = codes.normalize(voucher.code)
    voucher.save()
    wrong_kind = run_push(voucher, f"--reseller={personas.customer_a1.pk}")
    assert wrong_kind.returncode == 2
    assert str(errors.ACCOUNT_UNKNOWN) in str(wrong_kind)
    nothing = run_push(voucher, "--ip-range=10.9.0.0/16")
    assert nothing.returncode == 2
    assert str(errors.NO_SITE_MATCHED) in str(nothing)
