"""Login, settings, and a reseller's customers.

Also the small pieces every app's views share: provider-only access and a scoped,
filtered, sortable list view.
"""

import functools

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin

from apps.accounts.forms import (
    AutoRenewForm,
    NotificationForm,
    PurchaseLinkForm,
    ThrottledAuthenticationForm,
    notification_setting,
)
from apps.accounts.models import Account
from apps.accounts.scoping import scope
from apps.accounts.tables import CustomerTable
from apps.audit.services import record
from apps.fleet.models import Site
from apps.fleet.tables import sites_table
from apps.vouchers.models import Voucher

PAGE_SIZE = 50


def provider_only(view):
    """Pages for provider staff only; everyone else gets 404, as for any object
    outside their scope."""

    @functools.wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.is_provider_staff:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


class ProviderOnlyMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_provider_staff:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class ScopedListView(LoginRequiredMixin, SingleTableMixin, FilterView):
    """A table of what the user may see, filtered and sorted by the database."""

    paginate_by = PAGE_SIZE
    table_pagination = {"per_page": PAGE_SIZE}

    def base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        return scope(self.base_queryset(), self.request.user)


class LoginView(auth_views.LoginView):
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True


def count_of(model, field: str):
    """How many `model` rows point at the outer row, as a subquery (no join fan-out)."""
    rows = model.objects.filter(**{field: OuterRef("pk")}).order_by().values(field)
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1]), 0)


def customers_of(user):
    customers = Account.objects.filter(kind=Account.Kind.CUSTOMER)
    return (
        scope(customers, user)
        .select_related("parent")
        .annotate(
            site_count=count_of(Site, "owner"),
            voucher_count=count_of(Voucher, "owner"),
        )
        .order_by("name")
    )


@login_required
def customer_list(request):
    if (
        request.user.role != Account.Kind.RESELLER
        and not request.user.is_provider_staff
    ):
        raise Http404
    term = request.GET.get("q", "").strip()
    customers = customers_of(request.user)
    if term:
        customers = customers.filter(Q(name__icontains=term) | Q(email__icontains=term))
    table = CustomerTable(customers, request=request)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    return render(request, "accounts/customer_list.html", {"table": table, "q": term})


@login_required
def customer_detail(request, pk: int):
    customers = Account.objects.filter(kind=Account.Kind.CUSTOMER)
    customer = get_object_or_404(scope(customers, request.user), pk=pk)
    if customer.pk == request.user.account_id:
        return redirect("home")
    sites = Site.objects.filter(owner=customer)
    table = sites_table(request, scope(sites, request.user), exclude=("owner",))
    context = {"customer": customer, "table": table}
    return render(request, "accounts/customer_detail.html", context)


def _settings_context(request, **forms) -> dict:
    account = request.user.account
    context = {
        "account": account,
        "link_form": PurchaseLinkForm(instance=account),
        "renew_form": AutoRenewForm(instance=account),
        "notify_form": NotificationForm(
            instance=notification_setting(request.user), role=request.user.role
        ),
        "inherited_link": account.parent.effective_purchase_url()
        if account.parent_id
        else "",
    }
    return {**context, **forms}


@login_required
def settings_page(request):
    if request.user.account is None:
        raise Http404
    return render(request, "accounts/settings.html", _settings_context(request))


@login_required
@require_POST
def notifications(request):
    if request.user.account is None:
        raise Http404
    form = NotificationForm(
        request.POST,
        instance=notification_setting(request.user),
        role=request.user.role,
    )
    if not form.is_valid():
        context = _settings_context(request, notify_form=form)
        return render(request, "accounts/settings.html", context, status=400)
    setting = form.save()
    record(
        "user.notifications_changed",
        setting,
        actor=request.user,
        account=request.user.account,
        **{event: getattr(setting, event) for event in setting.EVENTS},
    )
    messages.success(request, _("Your email settings were saved."))
    return redirect("accounts:settings")


@login_required
@require_POST
def purchase_link(request):
    account = request.user.account
    if account is None or account.kind == Account.Kind.CUSTOMER:
        raise Http404
    form = PurchaseLinkForm(request.POST, instance=account)
    if form.is_valid():
        form.save()
        record(
            "account.purchase_link_changed",
            account,
            actor=request.user,
            account=account,
            purchase_url=account.purchase_url,
        )
        messages.success(request, _("The purchase link was saved."))
        return redirect("accounts:settings")
    context = _settings_context(request, link_form=form)
    return render(request, "accounts/settings.html", context, status=400)


@login_required
@require_POST
def auto_renew(request):
    account = request.user.account
    if account is None or account.kind != Account.Kind.CUSTOMER:
        raise Http404
    form = AutoRenewForm(request.POST, instance=account)
    form.is_valid()
    form.save()
    record(
        "account.auto_renew_changed",
        account,
        actor=request.user,
        account=account,
        auto_renew=account.auto_renew,
    )
    if account.auto_renew:
        messages.success(request, _("Automatic renewal is on for all your sites."))
    else:
        messages.success(request, _("Automatic renewal is off for all your sites."))
    return redirect(
        "home" if request.POST.get("next") == "home" else "accounts:settings"
    )
