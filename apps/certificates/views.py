"""Orders and certificates: redeem a voucher and watch its steps, an order's log,
revoke by serial number."""

import re

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from apps.accounts.scoping import scope
from apps.accounts.views import ScopedListView
from apps.ca import errors
from apps.ca.errors import CertfleetError, lookup
from apps.certificates import services
from apps.certificates.filters import OrderFilter
from apps.certificates.forms import ConfirmRevokeForm, RedeemForm, RevokeForm
from apps.certificates.lifecycle import replacement, revocation
from apps.certificates.models import Certificate, Order
from apps.certificates.tables import OrderTable
from apps.vouchers.disclosure import shown_code
from apps.vouchers.models import Voucher

# Secrets that may appear in raw Plesk or CA answers; support sees the rest.
_MASKS = [
    (
        re.compile(
            r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----",
            re.S,
        ),
        "[private key masked]",
    ),
    (
        re.compile(
            r"(<(?:[\w-]+:)?(?:secret_key|secret|password|passwd|key|pkey|"
            r"private_key|AuthToken|token)\b[^>]*>)[^<]*(</)",
            re.I,
        ),
        r"\1***\2",
    ),
    (
        re.compile(r"((?:KEY|HTTP_AUTH_PASSWD|Authorization)\s*[:=]\s*)\S+", re.I),
        r"\1***",
    ),
]


# What each pipeline step is called on the page (the log keeps the short name).
STEP_NAMES = {
    "checks": _("Local checks"),
    "dns": _("DNS"),
    "key": _("Key and request"),
    "snapshot": _("Current binding saved"),
    "ca_check": _("Voucher checked at the CA"),
    "temp_installed": _("Temporary certificate bound"),
    "real_order": _("Certificate issued"),
    "validated": _("Key, names and chain checked"),
    "installed": _("Installed and bound"),
    "verified": _("Served to visitors"),
    "recorded": _("Recorded"),
    "rollback": _("Previous certificate restored"),
}


def mask(raw: str) -> str:
    for pattern, substitute in _MASKS:
        raw = pattern.sub(substitute, raw)
    return raw


def failure_of(order: Order) -> dict | None:
    if order.error_code is None:
        return None
    info = lookup(order.error_code)
    return {
        "code": order.error_code,
        "message": order.error_message or info.message,
        "advice": order.error_advice or info.advice,
    }


def scoped_order(request, pk: int) -> Order:
    orders = Order.objects.select_related(
        "site__server", "voucher__owner", "certificate"
    )
    return get_object_or_404(scope(orders, request.user), pk=pk)


def _order_context(request, order: Order) -> dict:
    steps = list(order.steps.all())
    staff = request.user.is_provider_staff
    for step in steps:
        step.label = STEP_NAMES.get(step.name, step.name)
        step.shown_raw = mask(step.raw) if staff and step.raw else ""
        if step.finished_at:
            step.seconds = (step.finished_at - step.started_at).total_seconds()
    finished = order.state in (Order.State.DONE, Order.State.FAILED, Order.State.HELD)
    return {
        "order": order,
        "voucher_code": shown_code(order.voucher, request.user),
        "steps": steps,
        "failure": failure_of(order),
        "finished": finished,
        "staff": staff,
    }


class OrderListView(ScopedListView):
    table_class = OrderTable
    filterset_class = OrderFilter
    template_name = "certificates/order_list.html"

    def base_queryset(self):
        return Order.objects.select_related("site").order_by("-created_at", "-pk")


@login_required
def order_detail(request, pk: int):
    order = scoped_order(request, pk)
    return render(
        request, "certificates/order_detail.html", _order_context(request, order)
    )


@login_required
def order_steps(request, pk: int):
    """The steps fragment, polled by the order page until the order finishes."""
    order = scoped_order(request, pk)
    response = render(
        request, "certificates/_order_steps.html", _order_context(request, order)
    )
    return response


@login_required
def redeem(request):
    form = RedeemForm(
        request.POST or None, user=request.user, initial=_initial(request)
    )
    context = {"form": form, "purchase_url": _purchase_url(request.user)}
    if request.method == "POST" and form.is_valid():
        try:
            order = services.redeem(user=request.user, **form.cleaned_data)
        except CertfleetError as exc:
            context["failure"] = failure_from(exc)
            return render(request, "certificates/redeem.html", context, status=400)
        return redirect("certificates:order", pk=order.pk)
    return render(request, "certificates/redeem.html", context)


def _initial(request) -> dict:
    site = request.GET.get("site", "")
    return {"site": site} if site.isdigit() else {}


def _purchase_url(user) -> str:
    return user.account.effective_purchase_url() if user.account_id else ""


@login_required
def revoke(request):
    """Step one: find the certificate by its serial, then ask to confirm."""
    form = RevokeForm(
        request.POST or None, initial={"serial": request.GET.get("serial")}
    )
    if request.method != "POST" or not form.is_valid():
        return render(request, "certificates/revoke.html", {"form": form})
    certificates = scope(Certificate.objects.select_related("site"), request.user)
    found = certificates.filter(serial_key__in=form.cleaned_data["serial"]).first()
    if found is None:
        failure = failure_from(
            CertfleetError(errors.SERIAL_NOT_ON_SITE, request.POST["serial"])
        )
        context = {"form": form, "failure": failure}
        return render(request, "certificates/revoke.html", context, status=404)
    confirm = ConfirmRevokeForm(initial={"certificate": found.pk})
    context = {"certificate": found, "form": confirm}
    return render(request, "certificates/revoke_confirm.html", context)


def failure_from(exc: CertfleetError) -> dict:
    return {
        "code": exc.code,
        "message": exc.info.message,
        "advice": exc.info.advice,
        "detail": exc.detail,
    }


def scoped_certificate(request, pk) -> Certificate:
    certificates = scope(Certificate.objects.select_related("site"), request.user)
    return get_object_or_404(certificates, pk=pk if str(pk).isdigit() else 0)


@login_required
@require_POST
def revoke_confirm(request):
    """Step two: confirmed; the CA revokes (after proving control of the site)."""
    certificate = scoped_certificate(request, request.POST.get("certificate", ""))
    form = ConfirmRevokeForm(request.POST)
    if not form.is_valid():
        context = {"certificate": certificate, "form": form}
        return render(request, "certificates/revoke_confirm.html", context, status=400)
    try:
        revocation.revoke(
            user=request.user,
            site=certificate.site,
            serial_text=certificate.serial_hex,
            confirm=True,
        )
    except CertfleetError as exc:
        certificate.refresh_from_db()
        context = {"certificate": certificate, "failure": failure_from(exc)}
        return render(request, "certificates/revoke_done.html", context, status=400)
    certificate.refresh_from_db()
    context = {
        "certificate": certificate,
        "replacement": replacement.replacement_for(
            user=request.user, certificate=certificate
        ),
    }
    return render(request, "certificates/revoke_done.html", context)


@login_required
@require_POST
def replace(request, pk: int):
    """One click after a revocation: order a new certificate for the same site."""
    certificate = scoped_certificate(request, pk)
    vouchers = scope(Voucher.objects.all(), request.user)
    voucher = get_object_or_404(vouchers, pk=request.POST.get("voucher") or 0)
    try:
        order = replacement.start_replacement(
            user=request.user, certificate=certificate, voucher=voucher
        )
    except CertfleetError as exc:
        context = {"certificate": certificate, "failure": failure_from(exc)}
        return render(request, "certificates/revoke_done.html", context, status=400)
    return redirect("certificates:order", pk=order.pk)


def terms(request):
    return render(request, "certificates/terms.html")
