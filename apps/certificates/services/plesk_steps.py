"""What the pipeline asks of the site's Plesk server: snapshot, install and bind,
and rollback to what the site served before."""

import logging

from apps.ca import errors
from apps.ca.errors import CertfleetError
from apps.certificates.models import Order, OrderStep
from apps.certificates.services import steplog

logger = logging.getLogger(__name__)


def client_for(order: Order):
    from apps.fleet.plesk import PleskClient

    return PleskClient.for_server(order.site.server)


def exchange(client) -> str:
    """The client's requests and answers since the last call (already masked)."""
    taken = list(getattr(client, "exchanges", []))
    if hasattr(client, "exchanges"):
        client.exchanges.clear()
    return "\n\n".join(
        f"{e.status} in {e.seconds:.2f}s\n{e.request}\n{e.response}" for e in taken
    )


def snapshot(client, order: Order) -> dict:
    binding = client.hosting_binding(order.site)
    return {"ssl": bool(binding.ssl), "certificate_name": binding.certificate_name}


def install_and_bind(client, order: Order, name: str, cert_pem: str, chain_pem: str):
    """Install into the site's pool (the chain always), then bind to its hosting."""
    client.install_certificate(
        order.site, name, order.key_pem, cert_pem, chain_pem, csr_pem=order.csr_pem
    )
    client.bind_certificate(order.site, name)


def _binding(snapshot: dict):
    from apps.fleet.plesk import Binding

    return Binding(
        ssl=snapshot.get("ssl", False),
        certificate_name=snapshot.get("certificate_name", ""),
    )


def _remove(client, order: Order, name: str) -> None:
    try:
        client.remove_certificate(order.site, name)
    except CertfleetError as exc:
        if exc.code != errors.PLESK_NOT_FOUND:
            raise


def _rollback_failed(order: Order, client, left: list[str], exc) -> None:
    was = order.snapshot.get("certificate_name") or "no certificate"
    detail = f"left on Plesk: {', '.join(left)}; the site should be bound to {was}"
    steplog.note(order, "rollback", OrderStep.Outcome.FAILED, detail, exchange(client))
    logger.error(
        "order %s site %s server %s: rollback failed: %s",
        order.pk,
        order.site.name,
        order.site.server.name,
        exc,
    )
    raise CertfleetError(errors.ROLLBACK_FAILED, detail, exc.raw) from exc


def rollback(order: Order, client=None) -> None:
    """Bind the site to its snapshot again and remove what the order added.

    Does nothing when nothing was added. Raises ROLLBACK_FAILED when Plesk refuses,
    after logging what is left for a person to undo.
    """
    added = [n for n in (order.installed_name, order.temp_certificate_name) if n]
    if not added or order.snapshot is None:
        return
    client = client or client_for(order)
    left: list[str] = []
    try:
        client.restore_binding(order.site, _binding(order.snapshot))
    except CertfleetError as exc:
        _rollback_failed(order, client, added, exc)
    for name in added:
        try:
            _remove(client, order, name)
        except CertfleetError as exc:
            left.append(name)
            failure = exc
    if left:
        _rollback_failed(order, client, left, failure)
    order.installed_name = ""
    order.temp_certificate_name = ""
    order.save(update_fields=["installed_name", "temp_certificate_name"])
    restored = order.snapshot.get("certificate_name") or "no certificate"
    steplog.note(
        order,
        "rollback",
        OrderStep.Outcome.ROLLBACK,
        f"bound {restored} again; removed {', '.join(added)}",
    )
