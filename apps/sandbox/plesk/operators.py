"""Request schemas of the operators the sandbox serves (server, customer, reseller,
webspace, site, site-alias, subdomain, ip, certificate, dns), by protocol version.

Condensed from the reference (plesk-xml-api.md §5 and §10); element order matters.
"""

from apps.sandbox.plesk.schema import (
    ANY,
    ID,
    INT,
    STRING,
    UNBOUNDED,
    Elem,
    all_,
    choice,
    el,
    opt,
    seq,
)


def filter_any(*pairs: tuple[str, object]) -> Elem:
    """filter{ (a | b | ...)* }: any number of values, each of one kind."""
    return el(
        "filter", seq(choice(*[el(n, t) for n, t in pairs], min=0, max=UNBOUNDED))
    )


def filter_one_kind(*pairs: tuple[str, object]) -> Elem:
    """filter{ (a+ | b+ | ...)? }: values of one kind only."""
    return el(
        "filter",
        seq(
            choice(
                *[el(n, t, max=UNBOUNDED if t is not None else 1) for n, t in pairs],
                min=0,
            )
        ),
    )


def dataset(*names: str) -> Elem:
    return el("dataset", all_(*[opt(n) for n in names]))


def server(v: tuple) -> Elem:
    blocks = [
        "key",
        "gen_info",
        "components",
        "stat",
        "admin",
        "interfaces",
        "services_state",
        "prefs",
        "shells",
        "session_setup",
        "site-isolation-config",
        "updates",
        "admin-domain-list",
    ]
    if v >= (1, 6, 8, 0):
        blocks.append("certificates")
    get = seq(*[opt(b, ANY if b == "key" else None) for b in blocks])
    return el(
        "server",
        seq(
            choice(
                el("get_protos"), el("get", get), el("set", ANY), min=1, max=UNBOUNDED
            )
        ),
    )


def accounts() -> list[Elem]:
    customer_filter = filter_any(
        ("id", ID),
        ("login", STRING),
        ("owner-id", INT),
        ("owner-login", STRING),
        ("guid", STRING),
        ("external-id", STRING),
    )
    customer = el(
        "customer",
        seq(
            choice(
                el("add", ANY),
                el("set", ANY),
                el("del", ANY),
                el("get", seq(customer_filter, dataset("gen_info", "stat"))),
                el("get-domain-list", ANY),
                min=1,
                max=UNBOUNDED,
            )
        ),
    )
    reseller_filter = filter_one_kind(
        ("id", ID),
        ("login", STRING),
        ("guid", STRING),
        ("all", None),
        ("external-id", STRING),
    )
    reseller = el(
        "reseller",
        seq(
            choice(
                el("add", ANY),
                el("set", ANY),
                el("del", ANY),
                el(
                    "get",
                    seq(
                        reseller_filter,
                        dataset(
                            "gen-info",
                            "stat",
                            "permissions",
                            "limits",
                            "ippool",
                            "subscriptions",
                        ),
                    ),
                ),
                min=1,
                max=UNBOUNDED,
            )
        ),
    )
    return [customer, reseller]


def certificate(v: tuple) -> Elem:
    target = choice(el("webspace", STRING), el("site", STRING), el("admin"))
    body = seq(
        el("name", STRING),
        target,
        el(
            "content",
            seq(
                el("csr", STRING),
                el("pvt", STRING),
                opt("cert", STRING),
                opt("ca", STRING),
            ),
        ),
        opt("ip_address", STRING),
    )
    operations = [el("install", body)]
    if v >= (1, 6, 8, 0):
        operations.append(el("update", body))
    operations += [
        el("remove", seq(el("filter", seq(el("name", STRING, max=UNBOUNDED))), target)),
        el("generate", ANY),
        el(
            "get-pool",
            seq(
                choice(
                    el(
                        "filter",
                        seq(
                            choice(
                                el("domain-id", ID, max=UNBOUNDED),
                                el("domain-name", STRING, max=UNBOUNDED),
                                el("domain-guid", STRING, max=UNBOUNDED),
                            )
                        ),
                    ),
                    el("admin"),
                )
            ),
        ),
    ]
    return el("certificate", seq(choice(*operations, min=1, max=UNBOUNDED)))


def dns() -> Elem:
    dns_filter = filter_any(
        ("site-id", ID), ("id", ID), ("site-alias-id", ID), ("dns-zone-name", STRING)
    )
    add = seq(
        choice(el("site-id", ID), el("site-alias-id", ID), min=0),
        el("type", STRING),
        el("host", STRING),
        el("value", STRING),
        opt("opt", STRING),
    )
    get = seq(dns_filter, choice(el("template"), el("include-subdomains"), min=0))
    delete = seq(dns_filter, opt("template"))
    return el(
        "dns",
        seq(
            choice(
                el("add_rec", add),
                el("get_rec", get),
                el("del_rec", delete),
                min=1,
                max=UNBOUNDED,
            )
        ),
    )
