"""Local checks: every refusal the portal can make before asking the CA, with the
CA's own code, and the catalogue's message and advice."""

import datetime as dt

import pytest

from apps.ca import errors
from apps.core import clock
from apps.vouchers import services
from apps.vouchers.models import Voucher
from tests.vouchers.helpers import assert_refused


def refused(code, voucher, site, names=None, **kwargs):
    with pytest.raises(errors.CertfleetError) as caught:
        services.check_usable(voucher, site, names or [site.name], **kwargs)
    return assert_refused(caught, code)


def test_a_usable_voucher_passes(make_voucher, make_site, personas):
    voucher = make_voucher()
    site = make_site()
    services.check_usable(voucher, site, [site.name, f"www.{site.name}"])
    services.check_usable(voucher, site, [site.name], user=personas.staff)


def test_unknown_code_is_9001_with_a_hint(make_voucher):
    make_voucher(code="GSVOUCHER0042")
    with pytest.raises(errors.CertfleetError) as caught:
        services.find_voucher("gsvoucher0024")
    error = assert_refused(caught, errors.VOUCHER_UNKNOWN)
    assert "O and 0" in str(error.info.advice)
    assert "O and 0" in error.detail


def test_code_is_found_however_it_is_typed(make_voucher):
    voucher = make_voucher(code="GSV0UCHER0042")
    assert services.find_voucher(" gsvOucher-oo42 ") == voucher


def test_mistyped_generated_code_says_a_character_is_wrong(make_voucher):
    voucher = make_voucher()
    code = voucher.code
    typo = code[:3] + next(c for c in "ACE" if c != code[3]) + code[4:]
    with pytest.raises(errors.CertfleetError) as caught:
        services.find_voucher(typo)
    assert (
        "a character is mistyped"
        in assert_refused(caught, errors.VOUCHER_UNKNOWN).detail
    )


def test_another_tenants_code_reads_as_unknown(make_voucher, personas):
    voucher = make_voucher(owner=personas.customer_b1)
    with pytest.raises(errors.CertfleetError) as caught:
        services.find_voucher(voucher.code, user=personas.customer_a1_user)
    assert_refused(caught, errors.VOUCHER_UNKNOWN)
    found = services.find_voucher(voucher.code, user=personas.reseller_b_user)
    assert found == voucher


def test_user_who_may_not_use_the_voucher_gets_7002(make_voucher, make_site, personas):
    voucher = make_voucher(owner=personas.reseller_b)
    site = make_site(owner=personas.customer_b1)
    refused(errors.VOUCHER_NOT_YOURS, voucher, site, user=personas.customer_a1_user)
    services.check_usable(voucher, site, [site.name], user=personas.reseller_b_user)


def test_voucher_never_pays_for_a_site_outside_its_owners_tree(
    make_voucher, make_site, personas
):
    voucher = make_voucher(owner=personas.reseller_a)
    other_tenant_site = make_site(owner=personas.customer_b1)
    # Even provider staff, who see both, cannot spend A's voucher on B's site.
    error = refused(
        errors.VOUCHER_NOT_YOURS, voucher, other_tenant_site, user=personas.staff
    )
    assert "Customer B1" in error.detail


def test_cancelled_voucher_is_9026(make_voucher, make_site):
    voucher = make_voucher(status=Voucher.Status.CANCELLED, cancelled_at=clock.now())
    refused(errors.VOUCHER_CANCELLED, voucher, make_site())


def test_expired_voucher_is_9011_even_before_status_upkeep(make_voucher, make_site):
    voucher = make_voucher(expires_at=clock.now() - dt.timedelta(seconds=1))
    assert voucher.status == Voucher.Status.ACTIVE
    refused(errors.VOUCHER_EXPIRED, voucher, make_site())


def test_expiry_follows_the_clock(make_voucher, make_site):
    voucher = make_voucher(expires_at=clock.now() + dt.timedelta(days=2))
    site = make_site()
    services.check_usable(voucher, site, [site.name])
    later = clock.now() + dt.timedelta(days=3)
    refused(errors.VOUCHER_EXPIRED, voucher, site, now=later)


@pytest.mark.parametrize("platform", ["cpanel", "iis", "linux"])
def test_voucher_for_another_platform_is_9018(make_voucher, make_site, platform):
    error = refused(errors.WRONG_PLATFORM, make_voucher(platform=platform), make_site())
    assert "this voucher is for" in error.detail


def test_any_platform_voucher_works_on_plesk(make_voucher, make_site):
    site = make_site()
    services.check_usable(make_voucher(platform="any"), site, [site.name])


def test_site_ip_outside_the_networks_is_9019(make_voucher, make_site):
    voucher = make_voucher(networks=["127.0.1.0/24"])
    error = refused(errors.IP_OUT_OF_RANGE, voucher, make_site(ips=["127.0.2.10"]))
    assert "127.0.2.10 not in 127.0.1.0/24" in error.detail


def test_every_address_of_the_site_must_be_in_range(make_voucher, make_site):
    voucher = make_voucher(networks=["127.0.1.0/24", "::1"])
    refused(errors.IP_OUT_OF_RANGE, voucher, make_site(ips=["127.0.1.10", "::2"]))
    site = make_site(ips=["127.0.1.10", "::1"])
    services.check_usable(voucher, site, [site.name])


def test_ranges_and_ipv6_only_sites(make_voucher, make_site):
    voucher = make_voucher(networks=["127.0.1.10-127.0.1.20", "fd00::/8"])
    site = make_site(ips=["fd00::10"])
    services.check_usable(voucher, site, [site.name])
    refused(errors.IP_OUT_OF_RANGE, voucher, make_site(ips=["127.0.1.21"]))


def test_site_without_addresses_cannot_prove_its_range(make_voucher, make_site):
    error = refused(errors.IP_OUT_OF_RANGE, make_voucher(), make_site(ips=[]))
    assert "no IP address" in error.detail


def test_voucher_without_networks_is_not_range_bound(make_voucher, make_site):
    site = make_site(ips=["10.9.9.9"])
    services.check_usable(make_voucher(networks=[]), site, [site.name])


def test_ip_address_as_name_is_9004(make_voucher, make_site):
    site = make_site()
    refused(errors.IP_AS_NAME, make_voucher(), site, names=["127.0.1.10"])
    refused(errors.IP_AS_NAME, make_voucher(), site, names=["[::1]"])


def test_invalid_name_is_7005(make_voucher, make_site):
    refused(errors.NAME_INVALID, make_voucher(), make_site(), names=["-bad-.example"])


def site_voucher(make_voucher, bound, **fields):
    return make_voucher(
        kind=Voucher.Kind.SITE, bound_name=bound, uses_allowed=1, **fields
    )


def test_www_voucher_covers_both_forms(make_voucher, make_site):
    voucher = site_voucher(make_voucher, "www.shop.example")
    site = make_site("shop.example")
    services.check_usable(voucher, site, ["shop.example", "www.shop.example"])
    services.check_usable(voucher, site, ["www.shop.example", "shop.example"])


def test_bare_voucher_covers_only_the_bare_name_9016(make_voucher, make_site):
    voucher = site_voucher(make_voucher, "shop.example")
    site = make_site("shop.example")
    services.check_usable(voucher, site, ["shop.example"])
    error = refused(errors.CSR_NAME_MISMATCH, voucher, site, names=["www.shop.example"])
    assert "covers only shop.example" in error.detail
    refused(
        errors.CSR_NAME_MISMATCH,
        voucher,
        site,
        names=["shop.example", "www.shop.example"],
    )


def test_name_other_than_the_vouchers_is_9003(make_voucher, make_site):
    voucher = site_voucher(make_voucher, "www.shop.example")
    error = refused(errors.NAME_NOT_VOUCHER_NAME, voucher, make_site("other.example"))
    assert "the voucher is for www.shop.example" in error.detail


def test_bound_name_compares_idn_forms(make_voucher, make_site):
    voucher = site_voucher(make_voucher, "www.Bücher.example")
    site = make_site("xn--bcher-kva.example")
    services.check_usable(voucher, site, ["bücher.example"])


def test_extra_names_need_a_voucher_that_allows_them(make_voucher, make_site):
    site = make_site("shop.example")
    plain = site_voucher(make_voucher, "shop.example")
    refused(
        errors.NAME_NOT_VOUCHER_NAME,
        plain,
        site,
        names=["shop.example", "mail.shop.example"],
    )
    pool = make_voucher()
    error = refused(
        errors.PARAMETER_COMBINATION,
        pool,
        site,
        names=["shop.example", "mail.shop.example"],
    )
    assert "covers shop.example and its www form only" in error.detail
    with_sans = site_voucher(make_voucher, "shop.example", allow_san=True)
    services.check_usable(with_sans, site, ["shop.example", "mail.shop.example"])


def test_wildcards_need_a_voucher_that_allows_them(make_voucher, make_site):
    site = make_site("shop.example")
    plain = site_voucher(make_voucher, "shop.example", allow_san=True)
    error = refused(
        errors.PARAMETER_COMBINATION,
        plain,
        site,
        names=["shop.example", "*.shop.example"],
    )
    assert "wildcard" in error.detail
    wild = site_voucher(
        make_voucher, "shop.example", allow_san=True, allow_wildcard=True
    )
    services.check_usable(wild, site, ["shop.example", "*.shop.example"])


def test_optional_names_the_voucher_does_not_cover_are_dropped(make_voucher):
    voucher = site_voucher(make_voucher, "shop.example")
    assert services.allowed_names(
        voucher, ["shop.example", "www.shop.example", "Shop.Example"]
    ) == ["shop.example"]
    www = site_voucher(make_voucher, "www.shop.example")
    assert services.allowed_names(www, ["shop.example", "www.shop.example"]) == [
        "shop.example",
        "www.shop.example",
    ]
    with pytest.raises(errors.CertfleetError) as caught:
        services.allowed_names(voucher, ["other.example", "shop.example"])
    assert_refused(caught, errors.NAME_NOT_VOUCHER_NAME)


@pytest.mark.parametrize(
    ("kind", "days", "ok"),
    [
        ("trial", 5, True),
        ("trial", 90, True),
        ("trial", 4, False),
        ("trial", 91, False),
        ("super", 90, True),
        ("super", 1096, True),
        ("super", 60, False),
        ("super", 1200, False),
        ("monthly", 31, True),
        ("monthly", 365, False),
    ],
)
def test_kind_lifetimes(make_voucher, make_site, kind, days, ok):
    voucher = make_voucher(kind=kind, certificate_days=days)
    site = make_site()
    if ok:
        services.check_usable(voucher, site, [site.name])
        assert voucher.clean() is None
    else:
        error = refused(errors.PARAMETER_COMBINATION, voucher, site)
        assert f"not {days}" in error.detail


def test_no_uses_left_is_7001(make_voucher, make_site):
    voucher = make_voucher(uses_allowed=3, uses_spent=2, uses_reserved=1)
    error = refused(errors.VOUCHER_EXHAUSTED, voucher, make_site())
    assert "2 of 3 used, 1 reserved" in error.detail


@pytest.mark.parametrize("kind", ["super", "trial"])
def test_super_and_trial_need_a_contact_email(make_voucher, kind):
    voucher = make_voucher(kind=kind, certificate_days=30)
    with pytest.raises(errors.CertfleetError) as caught:
        services.check_contact(voucher, "  ")
    assert_refused(caught, errors.MISSING_PARAMETER)
    services.check_contact(voucher, "ops@example.net")
    services.check_contact(
        make_voucher(kind="site", bound_name="a.example", certificate_days=365), ""
    )
