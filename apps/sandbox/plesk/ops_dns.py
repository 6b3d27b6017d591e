"""dns operator: add_rec, get_rec, del_rec. TXT records reach the SandboxDNS."""

from apps.sandbox.plesk.state import DnsRecord
from apps.sandbox.plesk.xmlout import Context, ResultError, add, error, ok

_FQDN_VALUES = {"CNAME", "NS", "MX", "PTR", "SRV"}


def _zone_domain(ctx: Context, site_id: str):
    domain = ctx.state.domains.get(int(site_id))
    if domain is None or domain.kind == "subdomain":
        return None
    return domain


def add_rec(ctx: Context, node, out) -> None:
    site_id = node.findtext("site-id")
    if site_id is None:
        raise ResultError(1017, "Only records of a site's zone are served here")
    domain = _zone_domain(ctx, site_id)
    if domain is None:
        raise ResultError(1013, "Domain does not exist")
    kind = (node.findtext("type") or "").upper()
    value = node.findtext("value") or ""
    if kind == "TXT" and len(value.encode()) > 255:
        raise ResultError(1019, "Invalid value: TXT record longer than 255 bytes")
    if ctx.swallow:
        add(ok(out), "id", 0)
        return
    record = ctx.state.add_record(
        domain.id, kind, node.findtext("host") or "", value, node.findtext("opt") or ""
    )
    result = add(out, "result")
    add(result, "status", "ok")
    add(result, "id", record.id)


def _emit(out, record: DnsRecord) -> None:
    result = add(out, "result")
    add(result, "status", "ok")
    add(result, "id", record.id)
    data = add(result, "data")
    add(data, "site-id", record.site_id)
    add(data, "type", record.type)
    add(data, "host", record.host + ".")
    value = record.value
    if record.type in _FQDN_VALUES and not value.endswith("."):
        value += "."
    add(data, "value", value)
    add(data, "opt", record.opt or None)


def _records(ctx: Context, node) -> list[DnsRecord]:
    values = [
        (c.tag, (c.text or "").strip())
        for c in node.find("filter")
        if isinstance(c.tag, str)
    ]
    if not values:
        for domain_id in list(ctx.state.domains):
            if _zone_domain(ctx, str(domain_id)):
                ctx.state.zone(domain_id)
        return [r for zone in ctx.state.zones.values() for r in zone.values()]
    found: list[DnsRecord] = []
    for kind, value in values:
        if kind == "site-id" and _zone_domain(ctx, value):
            found += ctx.state.zone(int(value)).values()
        elif kind == "dns-zone-name":
            domain = ctx.state.domain_named(value)
            if domain is not None and domain.kind != "subdomain":
                found += ctx.state.zone(domain.id).values()
        elif kind == "id":
            found += [
                z[int(value)] for z in ctx.state.zones.values() if int(value) in z
            ]
    return found


def get_rec(ctx: Context, node, out) -> None:
    for record in _records(ctx, node):
        _emit(out, record)


def del_rec(ctx: Context, node, out) -> None:
    records = _records(ctx, node)
    ids = [c.text for c in node.find("filter") if c.tag == "id"]
    if not records and ids:
        for record_id in ids:
            result = error(out, 1013, "Record does not exist")
            add(result, "id", record_id)
        return
    for record in records:
        if not ctx.swallow:
            ctx.state.delete_record(record.id)
        result = add(out, "result")
        add(result, "status", "ok")
        add(result, "id", record.id)


HANDLERS = {
    ("dns", "add_rec"): add_rec,
    ("dns", "get_rec"): get_rec,
    ("dns", "del_rec"): del_rec,
}
