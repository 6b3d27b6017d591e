"""The voucher inventory: list, detail with history, import, assign, cancel."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.models import Account
from apps.accounts.scoping import scope
from apps.accounts.views import ScopedListView, provider_only
from apps.ca.errors import CertfleetError
from apps.vouchers import services
from apps.vouchers.filters import VoucherFilter, with_balance
from apps.vouchers.forms import AssignForm, CancelForm, ImportForm
from apps.vouchers.models import Voucher, VoucherUse
from apps.vouchers.tables import VoucherTable

HISTORY = 50


class VoucherListView(ScopedListView):
    table_class = VoucherTable
    filterset_class = VoucherFilter
    template_name = "vouchers/voucher_list.html"

    def base_queryset(self):
        return with_balance(Voucher.objects.select_related("owner")).order_by(
            "-created_at", "-pk"
        )


def scoped_voucher(request, pk: int) -> Voucher:
    vouchers = with_balance(Voucher.objects.select_related("owner"))
    return get_object_or_404(scope(vouchers, request.user), pk=pk)


def can_manage(user) -> bool:
    return user.role in (Account.Kind.PROVIDER, Account.Kind.RESELLER)


@login_required
def voucher_detail(request, pk: int):
    voucher = scoped_voucher(request, pk)
    uses = (
        VoucherUse.objects.filter(voucher=voucher)
        .select_related("order__site")
        .order_by("-reserved_at")[:HISTORY]
    )
    context = {
        "voucher": voucher,
        "uses": uses,
        "events": services.history(voucher).select_related("actor")[:HISTORY],
    }
    if voucher.status == Voucher.Status.ACTIVE:
        if can_manage(request.user):
            context["assign_form"] = AssignForm(user=request.user, voucher=voucher)
        if request.user.is_provider_staff:
            context["cancel_form"] = CancelForm()
    return render(request, "vouchers/voucher_detail.html", context)


@login_required
@require_POST
def voucher_assign(request, pk: int):
    voucher = scoped_voucher(request, pk)
    if not can_manage(request.user):
        raise Http404
    form = AssignForm(request.POST, user=request.user, voucher=voucher)
    if form.is_valid():
        account = form.cleaned_data["account"]
        try:
            services.assign(voucher, account, actor=request.user)
        except CertfleetError as exc:
            messages.error(request, f"{exc.code}: {exc.info.message} {exc.info.advice}")
        else:
            messages.success(
                request,
                _("Voucher assigned to %(account)s.") % {"account": account.name},
            )
    else:
        messages.error(request, _("Choose an account to assign the voucher to."))
    return redirect("vouchers:detail", pk=voucher.pk)


@login_required
@require_POST
def voucher_cancel(request, pk: int):
    voucher = scoped_voucher(request, pk)
    if not request.user.is_provider_staff:
        raise Http404
    if not CancelForm(request.POST).is_valid():
        messages.error(request, _("Tick the box to confirm the cancellation."))
        return redirect("vouchers:detail", pk=voucher.pk)
    try:
        services.cancel(voucher, actor=request.user)
    except CertfleetError as exc:
        messages.error(request, f"{exc.code}: {exc.info.message} {exc.info.advice}")
    else:
        messages.success(request, _("The voucher was cancelled."))
    return redirect("vouchers:detail", pk=voucher.pk)


@provider_only
def voucher_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        report = services.import_csv(
            owner=request.user.account,
            fileobj=form.cleaned_data["file"],
            actor=request.user,
        )
        context["report"] = report
        if report.ok:
            messages.success(
                request,
                _("%(count)s vouchers were imported.") % {"count": report.imported},
            )
    status = 400 if context.get("report") and not context["report"].ok else 200
    return render(request, "vouchers/voucher_import.html", context, status=status)
