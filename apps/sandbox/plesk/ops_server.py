"""server, customer, reseller and ip operators."""

from apps.sandbox.plesk.population import ADMIN_ID, Customer, Reseller
from apps.sandbox.plesk.xmlout import Context, add, error, filter_values, ok


def get_protos(ctx: Context, node, out) -> None:
    result = ok(out)
    protos = add(result, "protos")
    for proto in ctx.state.identity.release.protocols:
        add(protos, "proto", proto)


def server_get(ctx: Context, node, out) -> None:
    ident = ctx.state.identity
    result = ok(out)
    wanted = {child.tag for child in node if isinstance(child.tag, str)}
    if "gen_info" in wanted:
        info = add(result, "gen_info")
        add(info, "server_name", ident.name)
        add(info, "server_guid", ident.guid)
        add(info, "mode", "standard")
    if "stat" in wanted:
        _stat(ctx, add(result, "stat"))


def _stat(ctx: Context, stat) -> None:
    state, ident = ctx.state, ctx.state.identity
    objects = add(stat, "objects")
    counts = [
        ("clients", len(state.population.customers)),
        ("domains", len(state.domains)),
        ("active_domains", len(state.domains)),
        ("mail_boxes", 0),
        ("mail_redirects", 0),
        ("mail_groups", 0),
        ("mail_responders", 0),
        ("web_users", 0),
        ("databases", 0),
        ("database_users", 0),
        ("problem_clients", 0),
        ("problem_domains", 0),
    ]
    for tag, value in counts:
        add(objects, tag, value)
    version = add(stat, "version")
    for tag, value in [
        ("plesk_name", "psa"),
        ("plesk_version", ident.release.plesk_version),
        ("plesk_os", "Debian"),
        ("plesk_os_version", "12"),
        ("plesk_build", "1000"),
        ("os_release", "6.1.0"),
    ]:
        add(version, tag, value)
    other = add(stat, "other")
    add(other, "cpu", "Sandbox CPU")
    add(other, "uptime", 864000)
    add(other, "inside_vz", "false")
    load = add(stat, "load_avg")
    for tag in ("l1", "l5", "l15"):
        add(load, tag, 10)
    for block in ("mem", "swap"):
        parent = add(stat, block)
        sizes = [
            ("total", 8_000_000_000),
            ("used", 4_000_000_000),
            ("free", 4_000_000_000),
        ]
        if block == "mem":
            sizes += [("shared", 0), ("buffer", 0), ("cached", 0)]
        for tag, value in sizes:
            add(parent, tag, value)
    device = add(add(stat, "diskspace"), "device")
    for tag, value in [
        ("name", "/dev/sda1"),
        ("total", 80_000_000_000),
        ("used", 20_000_000_000),
        ("free", 60_000_000_000),
    ]:
        add(device, tag, value)


def _customer_info(info, c: Customer, gen_tag: str, hyphen: bool) -> None:
    date = "cr-date" if hyphen else "cr_date"
    add(info, date, "2023-04-02")
    for tag, value in [
        ("cname", c.cname),
        ("pname", c.pname),
        ("login", c.login),
        ("status", 0),
        ("phone", None),
        ("fax", None),
        ("email", c.email),
        ("address", None),
        ("city", None),
        ("state", None),
        ("pcode", None),
        ("country", "DE"),
        ("locale", "en-US"),
        ("guid", c.guid),
    ]:
        add(info, tag, value)
    if not hyphen:
        add(info, "owner-id", c.owner_id)
        add(info, "vendor-guid", c.guid)
    add(info, "external-id")
    add(info, "description")


def customer_get(ctx: Context, node, out) -> None:
    customers = ctx.state.population.customers
    wanted = {c.tag for c in node.find("dataset") if isinstance(c.tag, str)}

    def emit(c: Customer, filter_id=None) -> None:
        data = add(ok(out, filter_id, c.id), "data")
        if "gen_info" in wanted:
            _customer_info(add(data, "gen_info"), c, "gen_info", hyphen=False)
        if "stat" in wanted:
            stat = add(data, "stat")
            add(
                stat,
                "active_domains",
                sum(1 for d in ctx.state.webspaces() if d.owner_id == c.id),
            )

    values = filter_values(node)
    if not values:
        for c in customers:
            emit(c)
        return
    logins = {c.id: c.login for c in ctx.state.population.resellers}
    logins[ADMIN_ID] = ctx.state.identity.login
    for kind, value in values:
        if kind in ("owner-id", "owner-login"):
            for c in customers:
                if value in (str(c.owner_id), logins.get(c.owner_id)):
                    emit(c, value)
            continue
        field = {"id": "id", "login": "login", "guid": "guid"}.get(kind)
        match = [c for c in customers if field and str(getattr(c, field)) == value]
        if match:
            emit(match[0], value)
        else:
            error(out, 1013, "client does not exist", value)


def reseller_get(ctx: Context, node, out) -> None:
    resellers = ctx.state.population.resellers
    wanted = {c.tag for c in node.find("dataset") if isinstance(c.tag, str)}

    def emit(r: Reseller, filter_id=None) -> None:
        data = add(ok(out, filter_id, r.id), "data")
        if "gen-info" in wanted:
            _customer_info(add(data, "gen-info"), r, "gen-info", hyphen=True)
        if "permissions" in wanted:
            perm = add(add(data, "permissions"), "permission")
            add(perm, "name", "create_domains")
            add(perm, "value", "true")
        if "ippool" in wanted:
            pool = add(data, "ippool")
            for address in ctx.state.identity.ip_addresses:
                ip = add(pool, "ip")
                add(ip, "ip-address", address)
                add(ip, "ip-type", "shared")

    values = [(k, v) for k, v in filter_values(node) if k != "all"]
    if not values:
        for r in resellers:
            emit(r)
        return
    for kind, value in values:
        field = {"id": "id", "login": "login", "guid": "guid"}.get(kind)
        match = [r for r in resellers if field and str(getattr(r, field)) == value]
        if match:
            emit(match[0], value)
        else:
            error(out, 1013, "reseller does not exist", value)


def ip_get(ctx: Context, node, out) -> None:
    addresses = add(ok(out), "addresses")
    for position, address in enumerate(ctx.state.identity.ip_addresses):
        info = add(addresses, "ip_info")
        add(info, "ip_address", address)
        add(info, "netmask", "128" if ":" in address else "255.0.0.0")
        add(info, "type", "shared" if position == 0 else "exclusive")
        add(info, "interface", "lo")
        if position == 0 and not ctx.at_least("1.6.9.1"):
            add(info, "default")


HANDLERS = {
    ("server", "get_protos"): get_protos,
    ("server", "get"): server_get,
    ("customer", "get"): customer_get,
    ("reseller", "get"): reseller_get,
    ("ip", "get"): ip_get,
}
