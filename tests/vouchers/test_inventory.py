"""Inventory: CSV import with a per-line report, assignment down the tree, cancel."""

import io

import pytest

from apps.ca import errors
from apps.vouchers import services
from apps.vouchers.models import Voucher
from tests.vouchers.helpers import assert_refused

HEADER = "code,kind,expires,days,uses,networks,platform,name,san,wildcard,note\n"
GOOD = (
    HEADER + "GS-SUPER-0001,super,2030-12-31,365,500,127.0.1.0/24;fd00::/8,plesk,,,,"
    "pool for shared hosting\n"
    "gs-site-0001,site,2030-06-30T12:00:00+00:00,365,1,,,www.Shop.example,yes,no,\n"
    "GSTRIAL0001,trial,2030-01-01,30,,,any,,,,\n"
)


def test_good_file_imports_every_line(personas):
    report = services.import_csv(
        owner=personas.provider, fileobj=io.StringIO(GOOD), actor=personas.staff
    )
    assert report.ok and report.imported == 3
    assert [(line.line, line.ok, line.code) for line in report.lines] == [
        (2, True, "GSSUPER0001"),
        (3, True, "GSS1TE0001"),  # I read as 1
        (4, True, "GSTR1A10001"),  # I and L read as 1
    ]
    pool = Voucher.objects.get(code="GSSUPER0001")
    assert pool.issued_code == "GS-SUPER-0001"
    assert pool.ca_code == "GS-SUPER-0001"
    assert pool.networks == ["127.0.1.0/24", "fd00::/8"]
    assert pool.uses_allowed == 500 and pool.owner == personas.provider
    assert pool.expires_at.isoformat() == "2031-01-01T00:00:00+00:00"
    site = services.find_voucher("GS SITE OOO1")
    assert site.bound_name == "www.shop.example" and site.allow_san
    assert site.kind == "site" and not site.allow_wildcard
    trial = Voucher.objects.get(code="GSTR1A10001")
    assert trial.platform == "any" and trial.uses_allowed == 1
    imported = services.history(pool).values_list("action", flat=True)
    assert list(imported) == ["voucher.imported"]


def test_bad_lines_are_reported_and_nothing_is_imported(personas):
    text = (
        HEADER + "GOOD-0001,super,2030-12-31,365,10,127.0.1.0/24,,,,,\n"
        "BAD-0002,platinum,2030-12-31,365,10,,,,,,\n"
        "BAD-0003,trial,2030-12-31,120,1,,,,,,\n"
        "BAD-0004,super,2030-12-31,365,10,127.0.1.5/24,,,,,\n"
        "BAD-0005,site,2030-12-31,365,1,,,,,,\n"
        "BAD-0006,super,2020-01-01,365,10,,,,,,\n"
        "good 0001,super,2030-12-31,365,10,,,,,,\n"
        "BAD-0008,super,31.12.2030,365,0,,,,maybe,,\n"
    )
    report = services.import_csv(
        owner=personas.provider, fileobj=io.StringIO(text), actor=personas.staff
    )
    assert not report.ok and report.imported == 0
    errors_by_line = {line.line: line.error for line in report.lines}
    assert errors_by_line[2] == ""
    assert "kind: one of trial, site, super, monthly" in errors_by_line[3]
    assert "trial voucher gives certificates of 5 to 90 days" in errors_by_line[4]
    assert "did you mean 127.0.1.0/24?" in errors_by_line[5]
    assert "needs the name it was bought for" in errors_by_line[6]
    assert "that moment has passed" in errors_by_line[7]
    assert errors_by_line[8] == "same code as line 2"
    assert "expires: a date like" in errors_by_line[9]
    assert "uses: a whole number of at least 1" in errors_by_line[9]
    assert "san: yes or no" in errors_by_line[9]
    assert Voucher.objects.count() == 0
    assert len(report.failed) == 7


def test_codes_already_in_stock_are_refused(personas, make_voucher):
    make_voucher(code="GS0001")
    text = HEADER + "gs-ooo1,super,2030-12-31,365,10,,,,,,\n"
    report = services.import_csv(
        owner=personas.provider, fileobj=io.StringIO(text), actor=personas.staff
    )
    assert report.lines[0].error == "a voucher with this code exists already"
    assert Voucher.objects.count() == 1


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("code,kind\nX,super\n", "missing column(s): expires"),
        ("code,kind,expires,colour\n", "unknown column(s): colour"),
        ("code,kind,expires\n", "no vouchers in the file"),
        (b"code,kind,expires\n\xff\xfe,super,2030-01-01\n", "not UTF-8"),
    ],
)
def test_file_level_problems_are_reported_on_line_one(personas, text, says):
    fileobj = io.BytesIO(text) if isinstance(text, bytes) else io.StringIO(text)
    report = services.import_csv(
        owner=personas.provider, fileobj=fileobj, actor=personas.staff
    )
    assert not report.ok and report.lines[0].line == 1
    assert says in report.lines[0].error


def test_uploaded_bytes_with_a_bom_and_blank_lines(personas):
    data = (
        "\ufeff" + HEADER + "\nGS-BYTES-1,super,2030-12-31,365,3,,,,,,\n\n"
    ).encode()
    report = services.import_csv(
        owner=personas.reseller_a, fileobj=io.BytesIO(data), actor=personas.staff
    )
    assert report.ok and report.imported == 1
    assert Voucher.objects.get().owner == personas.reseller_a


def test_only_provider_staff_import(personas):
    with pytest.raises(errors.CertfleetError) as caught:
        services.import_csv(
            owner=personas.reseller_a,
            fileobj=io.StringIO(GOOD),
            actor=personas.reseller_a_user,
        )
    assert_refused(caught, errors.VOUCHER_NOT_YOURS)
    assert Voucher.objects.count() == 0


def test_vouchers_pass_down_the_tree(personas, make_voucher):
    voucher = make_voucher(owner=personas.provider)
    services.assign(voucher, personas.reseller_a, actor=personas.staff)
    services.assign(voucher, personas.customer_a1, actor=personas.reseller_a_user)
    voucher.refresh_from_db()
    assert voucher.owner == personas.customer_a1
    events = list(services.history(voucher).values_list("action", "data__owner"))
    assert events == [
        ("voucher.assigned", personas.customer_a1.pk),
        ("voucher.assigned", personas.reseller_a.pk),
    ]


@pytest.mark.parametrize(
    ("owner", "target", "actor"),
    [
        ("reseller_a", "provider", "staff"),  # up the tree
        ("reseller_a", "reseller_a", "staff"),  # to itself
        ("reseller_a", "customer_b1", "staff"),  # across the tree
        ("reseller_a", "customer_b1", "reseller_a_user"),  # another tenant
        ("reseller_b", "customer_b1", "reseller_a_user"),  # not the actor's voucher
        ("customer_a1", "customer_a1", "customer_a1_user"),
    ],
)
def test_assignment_is_refused_off_the_tree(
    personas, make_voucher, owner, target, actor
):
    voucher = make_voucher(owner=getattr(personas, owner))
    with pytest.raises(errors.CertfleetError) as caught:
        services.assign(
            voucher, getattr(personas, target), actor=getattr(personas, actor)
        )
    assert_refused(caught, errors.VOUCHER_NOT_YOURS)
    voucher.refresh_from_db()
    assert voucher.owner == getattr(personas, owner)
    assert not services.history(voucher).exists()


def test_cancel_stops_new_orders_and_keeps_history(
    personas, make_voucher, make_site, make_order
):
    voucher = make_voucher(uses_allowed=3)
    spent = make_order(make_site(), voucher)
    services.reserve(voucher, spent)
    services.spend(spent)
    with pytest.raises(errors.CertfleetError) as caught:
        services.cancel(voucher, actor=personas.reseller_a_user)
    assert_refused(caught, errors.VOUCHER_NOT_YOURS)
    services.cancel(voucher, actor=personas.staff)
    assert services.balance(voucher).status == "cancelled"
    assert services.balance(voucher).spent == 1
    with pytest.raises(errors.CertfleetError) as caught:
        services.reserve(voucher, make_order(make_site(), voucher))
    assert_refused(caught, errors.VOUCHER_CANCELLED)
    with pytest.raises(errors.CertfleetError) as caught:
        services.assign(voucher, personas.reseller_a, actor=personas.staff)
    assert_refused(caught, errors.VOUCHER_CANCELLED)
    assert services.refresh_statuses() == 0
    actions = list(services.history(voucher).values_list("action", flat=True))
    assert actions[0] == "voucher.cancelled"
    assert set(actions) == {"voucher.cancelled", "voucher.spent", "voucher.reserved"}


def test_csv_text_and_user_keyword_as_the_api_sends_them(personas):
    report = services.import_csv(GOOD, user=personas.staff)
    assert report.ok and report.created == 3
    assert set(Voucher.objects.values_list("owner", flat=True)) == {
        personas.provider.pk
    }
    voucher = Voucher.objects.first()
    services.assign(voucher, personas.reseller_b, user=personas.staff)
    assert services.cancel(voucher, user=personas.staff).status == "cancelled"
