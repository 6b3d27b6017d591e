"""Plesk servers: list, add with a confirmed fingerprint, detail, sync."""

import logging

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.scoping import scope
from apps.accounts.views import ProviderOnlyMixin, ScopedListView, provider_only
from apps.ca.errors import CertfleetError
from apps.core import crypto
from apps.fleet import plesk, services, tasks
from apps.fleet.filters import ServerFilter
from apps.fleet.forms import ConfirmFingerprintForm, ServerForm
from apps.fleet.models import PleskServer, Site
from apps.fleet.tables import ServerTable, sites_table

logger = logging.getLogger(__name__)

PENDING = "pending_server"


class ServerListView(ProviderOnlyMixin, ScopedListView):
    table_class = ServerTable
    filterset_class = ServerFilter
    template_name = "fleet/server_list.html"

    def base_queryset(self):
        active = Q(sites__state=Site.State.ACTIVE)
        return PleskServer.objects.annotate(
            site_count=Count("sites", filter=active)
        ).order_by("name")


def _failure(exc: CertfleetError) -> dict:
    return {
        "code": exc.code,
        "message": exc.info.message,
        "advice": exc.info.advice,
        "detail": exc.detail,
    }


@provider_only
def server_add(request):
    """Step one: address and credentials; the panel's fingerprint is fetched."""
    form = ServerForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return render(request, "fleet/server_add.html", {"form": form})
    data = form.cleaned_data
    try:
        fingerprint = plesk.fetch_fingerprint(data["host"], data["port"])
    except CertfleetError as exc:
        context = {"form": form, "failure": _failure(exc)}
        return render(request, "fleet/server_add.html", context, status=400)
    pending = {k: v for k, v in data.items() if k != "secret"}
    pending["secret"] = crypto.encrypt(data["secret"])
    pending["fingerprint_sha256"] = fingerprint
    request.session[PENDING] = pending
    context = {"pending": pending, "form": ConfirmFingerprintForm()}
    return render(request, "fleet/server_confirm.html", context)


@provider_only
@require_POST
def server_confirm(request):
    """Step two: the fingerprint is confirmed; register the server and sync it."""
    pending = request.session.get(PENDING)
    if not pending:
        messages.error(request, _("Start again: no server was waiting to be added."))
        return redirect("fleet:server_add")
    form = ConfirmFingerprintForm(request.POST)
    if not form.is_valid():
        context = {"pending": pending, "form": form}
        return render(request, "fleet/server_confirm.html", context, status=400)
    fields = dict(pending, secret=crypto.decrypt(pending["secret"]))
    try:
        server = services.register_server(actor=request.user, **fields)
    except CertfleetError as exc:
        context = {"pending": pending, "form": form, "failure": _failure(exc)}
        return render(request, "fleet/server_confirm.html", context, status=400)
    del request.session[PENDING]
    _start_sync(server)
    messages.success(
        request,
        _("Server %(name)s was added; its sites are being read.")
        % {"name": server.name},
    )
    return redirect("fleet:server", pk=server.pk)


def _start_sync(server: PleskServer) -> None:
    transaction.on_commit(lambda: tasks.sync_server.delay(server.pk))


@provider_only
def server_detail(request, pk: int):
    server = get_object_or_404(scope(PleskServer.objects.all(), request.user), pk=pk)
    sites = scope(Site.objects.filter(server=server), request.user)
    context = {
        "server": server,
        "table": sites_table(request, sites, exclude=("server",)),
    }
    return render(request, "fleet/server_detail.html", context)


@provider_only
def server_sync_state(request, pk: int):
    """The sync state fragment, polled while a sync is queued or runs; when it
    ends, the whole page reloads to show the sites it found."""
    server = get_object_or_404(scope(PleskServer.objects.all(), request.user), pk=pk)
    response = render(request, "fleet/_sync_state.html", {"server": server})
    waiting = (PleskServer.SyncState.NEVER, PleskServer.SyncState.RUNNING)
    if request.htmx and server.sync_state not in waiting:
        response["HX-Refresh"] = "true"
    return response


@provider_only
@require_POST
def server_sync(request, pk: int):
    server = get_object_or_404(scope(PleskServer.objects.all(), request.user), pk=pk)
    _start_sync(server)
    logger.info("sync of server %s requested by %s", server.pk, request.user)
    messages.success(request, _("A sync of %(name)s was started.") % {"name": server})
    return redirect("fleet:server", pk=server.pk)
