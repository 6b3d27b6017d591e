"""The main page of each persona: provider dashboard, reseller and customer home."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from apps.accounts.models import Account
from apps.accounts.scoping import scope
from apps.accounts.tables import CustomerTable
from apps.accounts.views import PAGE_SIZE, customers_of
from apps.bulk.models import Push
from apps.certificates.models import Certificate
from apps.core import clock
from apps.fleet.filters import status_counts
from apps.fleet.models import PleskServer, Site
from apps.fleet.tables import sites_table
from apps.vouchers.filters import with_balance
from apps.vouchers.models import Voucher
from apps.vouchers.tables import VoucherTable

# Thirteen months and more, so this month's one-year certificates show too.
CHART_MONTHS = 15


@login_required
def home(request):
    role = request.user.role
    if role == Account.Kind.PROVIDER:
        return dashboard(request)
    if role == Account.Kind.RESELLER:
        return reseller_home(request)
    if role == Account.Kind.CUSTOMER:
        return customer_home(request)
    raise Http404


def dashboard(request):
    sites = scope(Site.objects.all(), request.user)
    servers = scope(PleskServer.objects.all(), request.user)
    context = {
        "counts": status_counts(sites.filter(state=Site.State.ACTIVE)),
        "server_counts": servers.aggregate(
            total=Count("pk"),
            failed=Count("pk", filter=Q(sync_state=PleskServer.SyncState.FAILED)),
        ),
        "chart": expiry_chart(sites),
        "pushes": scope(Push.objects.select_related("voucher"), request.user).order_by(
            "-created_at"
        )[:5],
    }
    return render(request, "dashboard/provider.html", context)


def reseller_home(request):
    sites = scope(Site.objects.all(), request.user)
    customers = CustomerTable(customers_of(request.user), request=request)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(customers)
    own = with_balance(Voucher.objects.filter(owner=request.user.account)).order_by(
        "-created_at"
    )
    vouchers = VoucherTable(own[:10], request=request, orderable=False)
    context = {
        "counts": status_counts(sites.filter(state=Site.State.ACTIVE)),
        "customers": customers,
        "vouchers": vouchers,
    }
    return render(request, "dashboard/reseller.html", context)


def customer_home(request):
    account = request.user.account
    sites = scope(Site.objects.filter(state=Site.State.ACTIVE), request.user)
    context = {
        "account": account,
        "table": sites_table(request, sites, exclude=("server", "owner")),
        "counts": status_counts(sites),
        "purchase_url": account.effective_purchase_url(),
    }
    return render(request, "dashboard/customer.html", context)


def expiry_chart(sites) -> dict:
    """Certificates in use ending in each of the coming months, as bar geometry for
    an inline SVG chart."""
    now = clock.now()
    first = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    months = [_add_months(first, i) for i in range(CHART_MONTHS)]
    end = _add_months(first, CHART_MONTHS)
    rows = (
        sites.filter(
            current_certificate__status=Certificate.Status.ACTIVE,
            current_certificate__not_after__gte=now,
            current_certificate__not_after__lt=end,
        )
        .annotate(month=TruncMonth("current_certificate__not_after"))
        .values("month")
        .annotate(n=Count("pk"))
    )
    by_month = {row["month"].date().replace(day=1): row["n"] for row in rows}
    counts = [by_month.get(m.date(), 0) for m in months]
    peak = max(counts) or 1
    bars = [
        {
            "label": m.strftime("%b %y"),
            "count": n,
            "x": 40 + i * 60,
            "height": round(160 * n / peak),
            "y": 190 - round(160 * n / peak),
            "soon": i < 2,
        }
        for i, (m, n) in enumerate(zip(months, counts, strict=True))
    ]
    return {
        "bars": bars,
        "total": sum(counts),
        "months": CHART_MONTHS,
        "width": 60 + CHART_MONTHS * 60,
        "title": _("Expiries by month"),
    }


def _add_months(moment: dt.datetime, months: int) -> dt.datetime:
    year, month = divmod(moment.month - 1 + months, 12)
    return moment.replace(year=moment.year + year, month=month + 1)
