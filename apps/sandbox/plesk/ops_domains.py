"""webspace, site, site-alias and subdomain operators."""

from apps.sandbox.plesk.population import Domain
from apps.sandbox.plesk.xmlout import (
    Context,
    ResultError,
    add,
    error,
    filter_values,
    flag,
    ok,
)

# Filters that name one object; a value matching nothing is an error 1013.
_UNIQUE = {"id", "name", "guid", "external-id"}


def _hosting(ctx: Context, parent, domain: Domain) -> None:
    hosting = add(parent, "hosting")
    if domain.htype != "vrt_hst":
        add(hosting, domain.htype)
        return
    vrt = add(hosting, "vrt_hst")
    stem = domain.ascii_name.replace(".", "_")[:16]
    properties = [("ftp_login", f"ftp_{stem}"), ("ssl", flag(domain.ssl))]
    if domain.certificate_name:
        properties.append(("certificate_name", domain.certificate_name))
    properties += [
        ("php", "true"),
        ("www_root", f"/var/www/vhosts/{domain.ascii_name}/httpdocs"),
    ]
    for name, value in properties:
        prop = add(vrt, "property")
        add(prop, "name", name)
        add(prop, "value", value)
    for ip in domain.ips:
        add(vrt, "ip_address", ip)


def _gen_info(ctx: Context, data, d: Domain, webspace: bool) -> None:
    info = add(data, "gen_info")
    for tag, value in [
        ("cr_date", d.cr_date),
        ("name", d.name),
        ("ascii-name", d.ascii_name),
        ("status", 0),
        ("real_size", 0),
    ]:
        add(info, tag, value)
    if webspace:
        add(info, "owner-id", d.owner_id)
    for ip in d.ips:
        add(info, "dns_ip_address", ip)
    add(info, "htype", d.htype)
    add(info, "guid", d.guid)
    if webspace:
        add(info, "vendor-guid", d.guid)
        add(info, "external-id")
    else:
        owner = ctx.state.domains[d.webspace_id]
        add(info, "webspace-guid", owner.guid)
        add(info, "webspace-id", d.webspace_id)
    add(info, "description")


def _emit(ctx: Context, node, out, d: Domain, filter_id, webspace: bool) -> None:
    wanted = {c.tag for c in node.find("dataset") if isinstance(c.tag, str)}
    data = add(ok(out, filter_id, d.id), "data")
    if "gen_info" in wanted:
        _gen_info(ctx, data, d, webspace)
    if "hosting" in wanted:
        _hosting(ctx, data, d)


def _owner_login(ctx: Context, owner_id: int) -> str:
    pop = ctx.state.population
    logins = {c.id: c.login for c in [*pop.customers, *pop.resellers]}
    return logins.get(owner_id, ctx.state.identity.login)


def _by_key(ctx: Context, kind: str, value: str) -> Domain | None:
    index = ctx.state.index
    if kind == "id":
        return ctx.state.domains.get(int(value)) if value.isdigit() else None
    if kind == "guid":
        return index.by_guid.get(value)
    if kind == "name":
        key = value.lower().rstrip(".")
        found = index.by_name.get(key)
        if found is None and not key.isascii():
            found = next(
                (d for d in ctx.state.domains.values() if d.name.lower() == key), None
            )
        return found
    return None


def _webspace_matches(ctx: Context, kind: str, value: str) -> list[Domain]:
    if kind in ("id", "guid", "name"):
        found = _by_key(ctx, kind, value)
        return [found] if found is not None and found.kind == "webspace" else []
    if kind == "owner-id":
        return [d for d in ctx.state.webspaces() if str(d.owner_id) == value]
    if kind == "owner-login":
        return [
            d for d in ctx.state.webspaces() if _owner_login(ctx, d.owner_id) == value
        ]
    return []


def _site_matches(ctx: Context, kind: str, value: str) -> list[Domain]:
    children = ctx.state.index.children
    if kind in ("id", "guid", "name"):
        found = _by_key(ctx, kind, value)
        return [found] if found is not None else []
    if kind in ("parent-id", "parent-name", "parent-guid"):
        parents = _webspace_matches(ctx, kind.removeprefix("parent-"), value)
        return [d for p in parents for d in children.get(p.id, []) if d.kind == "site"]
    if kind.startswith("parent-site-"):
        parent = _by_key(ctx, kind.removeprefix("parent-site-"), value)
        return (
            [d for d in children.get(parent.id, []) if d.kind == "subdomain"]
            if (parent)
            else []
        )
    return []


def _select(ctx, node, matcher, everything) -> list[tuple[str | None, Domain | None]]:
    """(filter-id, domain) pairs in filter order; None marks an unknown value."""
    values = filter_values(node)
    if not values:
        return [(None, d) for d in everything]
    chosen: list[tuple[str | None, Domain | None]] = []
    for kind, value in values:
        found = matcher(ctx, kind, value)
        if not found and kind in _UNIQUE:
            chosen.append((value, None))
        chosen += [(value, d) for d in found]
    return chosen


def webspace_get(ctx: Context, node, out) -> None:
    for filter_id, d in _select(ctx, node, _webspace_matches, ctx.state.webspaces()):
        if d is None:
            error(out, 1013, "Webspace does not exist", filter_id)
        else:
            _emit(ctx, node, out, d, filter_id, webspace=True)


def site_get(ctx: Context, node, out) -> None:
    for filter_id, d in _select(ctx, node, _site_matches, ctx.state.sites()):
        if d is None:
            error(out, 1013, "Site does not exist", filter_id)
        else:
            _emit(ctx, node, out, d, filter_id, webspace=False)


def _apply_hosting(ctx: Context, d: Domain, values) -> None:
    vrt = values.find("hosting/vrt_hst")
    if vrt is None:
        return
    if d.htype != "vrt_hst":
        raise ResultError(1023, "The domain has no hosting of type vrt_hst")
    props = {
        p.findtext("name"): p.findtext("value") or "" for p in vrt.findall("property")
    }
    name = props.get("certificate_name")
    if name and ctx.state.visible_certificate(d, name) is None:
        raise ResultError(1013, "Unable to find certificate")
    if "ssl" in props and props["ssl"] not in ("true", "false"):
        raise ResultError(1019, f"Invalid value for property ssl: {props['ssl']}")
    if ctx.swallow:
        return
    if name is not None:
        d.certificate_name = name
    if "ssl" in props:
        d.ssl = props["ssl"] == "true"


def _set(ctx: Context, node, out, matcher, everything, missing: str) -> None:
    values = node.find("values")
    for filter_id, d in _select(ctx, node, matcher, everything):
        if d is None:
            error(out, 1013, missing, filter_id)
            continue
        try:
            _apply_hosting(ctx, d, values)
        except ResultError as exc:
            error(out, exc.code, exc.text, filter_id, d.id)
        else:
            ok(out, filter_id, d.id)


def webspace_set(ctx: Context, node, out) -> None:
    _set(
        ctx,
        node,
        out,
        _webspace_matches,
        ctx.state.webspaces(),
        "Webspace does not exist",
    )


def site_set(ctx: Context, node, out) -> None:
    _set(ctx, node, out, _site_matches, ctx.state.sites(), "Site does not exist")


def _alias_matches(ctx: Context, alias, kind: str, value: str) -> bool:
    if kind == "id":
        return str(alias.id) == value
    if kind == "name":
        return value.lower() in (alias.ascii_name, alias.name.lower())
    if kind == "site-id":
        return str(alias.site_id) == value
    return ctx.state.domains[alias.site_id].ascii_name == value.lower()


def _subdomain_matches(ctx: Context, sub: Domain, kind: str, value: str) -> bool:
    if kind == "id":
        return str(sub.id) == value
    if kind == "name":
        return sub.ascii_name == value.lower()
    return ctx.state.domains[sub.parent_id].ascii_name == value.lower()


def _pick(ctx: Context, node, objects: list, test) -> list[tuple]:
    values = filter_values(node)
    if not values:
        return [(None, o) for o in objects]
    chosen: list[tuple] = []
    for kind, value in values:
        found = [o for o in objects if test(ctx, o, kind, value)]
        if not found and kind in _UNIQUE:
            chosen.append((value, None))
        chosen += [(value, o) for o in found]
    return chosen


def alias_get(ctx: Context, node, out) -> None:
    aliases = list(ctx.state.aliases.values())
    for filter_id, a in _pick(ctx, node, aliases, _alias_matches):
        if a is None:
            error(out, 1013, "Alias does not exist", filter_id)
            continue
        info = add(ok(out, filter_id, a.id), "info")
        add(info, "status", 0)
        pref = add(info, "pref")
        add(pref, "web", "true")
        add(pref, "mail", "false")
        add(info, "manage-dns", "true")
        add(info, "site-id", a.site_id)
        add(info, "name", a.name)
        add(info, "ascii-name", a.ascii_name)


def subdomain_get(ctx: Context, node, out) -> None:
    subs = ctx.state.subdomains()
    for filter_id, sub in _pick(ctx, node, subs, _subdomain_matches):
        if sub is None:
            error(out, 1013, "Subdomain does not exist", filter_id)
            continue
        data = add(ok(out, filter_id, sub.id), "data")
        add(data, "parent", ctx.state.domains[sub.parent_id].ascii_name)
        add(data, "name", sub.label)
        add(data, "home", f"/{sub.label}")
        for name, value in [
            ("ssl", flag(sub.ssl)),
            ("certificate_name", sub.certificate_name),
        ]:
            if value:
                prop = add(data, "property")
                add(prop, "name", name)
                add(prop, "value", value)


HANDLERS = {
    ("webspace", "get"): webspace_get,
    ("webspace", "set"): webspace_set,
    ("site", "get"): site_get,
    ("site", "set"): site_set,
    ("site-alias", "get"): alias_get,
    ("subdomain", "get"): subdomain_get,
}
