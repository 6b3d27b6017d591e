"""Bulk push: choose a voucher and sites, see a dry run, start, watch progress,
retry the failed ones."""

from collections import Counter

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.scoping import scope
from apps.accounts.views import ProviderOnlyMixin, ScopedListView, provider_only
from apps.bulk.filters import PushFilter
from apps.bulk.forms import PushForm
from apps.bulk.models import Push
from apps.bulk.tables import PushTable
from apps.ca.errors import NO_SITE_MATCHED, CertfleetError, lookup
from apps.certificates.models import Order

DRY_RUN_ROWS = 200
EXAMPLES_PER_CODE = 5


class PushListView(ProviderOnlyMixin, ScopedListView):
    table_class = PushTable
    filterset_class = PushFilter
    template_name = "bulk/push_list.html"

    def base_queryset(self):
        return (
            Push.objects.select_related("voucher", "created_by")
            .annotate(
                total=Count("orders"),
                done=Count("orders", filter=Q(orders__state=Order.State.DONE)),
                failed=Count("orders", filter=Q(orders__state=Order.State.FAILED)),
            )
            .order_by("-created_at", "-pk")
        )


@provider_only
def push_new(request):
    """The form; "dry run" shows per site pass or reason; "start" creates the push."""
    from apps.bulk import services

    form = PushForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method != "POST" or not form.is_valid():
        return render(request, "bulk/push_new.html", {"form": form})
    voucher, target = form.cleaned_data["voucher"], form.target()
    try:
        sites, missing = _chosen(request.user, target)
        if request.POST.get("action") == "start" and not sites.exists():
            raise CertfleetError(NO_SITE_MATCHED)
    except CertfleetError as exc:
        form.add_error(None, f"{exc.code}: {exc.info.message} {exc.info.advice}")
        return render(request, "bulk/push_new.html", {"form": form}, status=400)
    if request.POST.get("action") == "start":
        push = services.create_push(
            user=request.user,
            voucher=voucher,
            sites=sites,
            contact_email=form.cleaned_data["contact_email"],
            target=target,
        )
        messages.success(request, _("Push #%(id)s started.") % {"id": push.pk})
        return redirect("bulk:detail", pk=push.pk)
    rows = list(services.dry_run(voucher=voucher, sites=sites))
    context = {
        "form": _carried(form, request.user),
        "dry_run": _dry_run_summary(rows),
        "missing": missing,
    }
    return render(request, "bulk/push_new.html", context)


def _chosen(user, target: dict):
    """(sites, names listed that are not among them)."""
    from apps.bulk import services

    sites = services.select_sites(user, target)
    missing = []
    if "names" in target:
        sites = sites.filter(name__in=target["names"])
        known = set(sites.values_list("name", flat=True))
        missing = [name for name in target["names"] if name not in known]
    return sites, missing


def _carried(form: PushForm, user) -> PushForm:
    """The same choices as a fresh form, with an uploaded file's names carried in
    the names field, so "start" pushes exactly what the dry run showed."""
    data = form.data.copy()
    data["names"] = form.cleaned_data["names"]
    return PushForm(data, user=user)


def _dry_run_summary(rows: list) -> dict:
    """Counts of passing sites and of each reason to fail, and the first rows."""
    codes = Counter(code for row in rows for code in row.codes)
    failing = sum(1 for row in rows if not row.ok)
    return {
        "total": len(rows),
        "passing": len(rows) - failing,
        "failing": failing,
        "by_code": [
            {"code": code, "count": count, **_info(code)}
            for code, count in codes.most_common()
        ],
        "rows": rows[:DRY_RUN_ROWS],
        "more": max(0, len(rows) - DRY_RUN_ROWS),
    }


def _info(code: int) -> dict:
    info = lookup(code)
    return {"message": info.message, "advice": info.advice}


def scoped_push(request, pk: int) -> Push:
    pushes = Push.objects.select_related("voucher", "created_by")
    return get_object_or_404(scope(pushes, request.user), pk=pk)


def _progress_context(push: Push) -> dict:
    from apps.bulk import services

    progress = services.progress(push)
    total = progress.total or 1
    failures = [
        {"group": group, "orders": _examples(push, group.code)}
        for group in progress.failures
    ]
    return {
        "push": push,
        "progress": progress,
        "percent": {
            "done": round(100 * progress.done / total, 1),
            "failed": round(100 * progress.failed / total, 1),
            "held": round(100 * progress.held / total, 1),
        },
        "failures": failures,
        "finished": progress.complete,
    }


def _examples(push: Push, code: int) -> list[Order]:
    """A few failed sites of one code, to open their order logs."""
    return list(
        Order.objects.filter(push=push, state=Order.State.FAILED, error_code=code)
        .select_related("site")
        .order_by("pk")[:EXAMPLES_PER_CODE]
    )


@provider_only
def push_detail(request, pk: int):
    push = scoped_push(request, pk)
    return render(request, "bulk/push_detail.html", _progress_context(push))


@provider_only
def push_progress(request, pk: int):
    """The progress fragment, polled by the push page while work remains."""
    push = scoped_push(request, pk)
    return render(request, "bulk/_progress.html", _progress_context(push))


@provider_only
@require_POST
def push_retry(request, pk: int):
    from apps.bulk import services

    push = scoped_push(request, pk)
    try:
        count = services.retry_failed(push, user=request.user)
    except CertfleetError as exc:
        messages.error(request, f"{exc.code}: {exc.info.message} {exc.info.advice}")
    else:
        messages.success(
            request, _("%(count)s failed sites are tried again.") % {"count": count}
        )
    return redirect("bulk:detail", pk=push.pk)
