"""The request side of the XML API schema, for the operators the sandbox serves.

Condensed from the reference (plesk-xml-api.md §5 and §10); element order matters.
Operators the sandbox knows by name but does not serve accept any content and are
answered with error 1017.
"""

from functools import lru_cache

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
from apps.sandbox.plesk.versions import as_tuple

MODERN_OPERATORS = [
    "server",
    "customer",
    "webspace",
    "subdomain",
    "dns",
    "db_server",
    "mail",
    "certificate",
    "site-alias",
    "ip",
    "event_log",
    "secret_key",
    "ui",
    "service-plan",
    "virtdir",
    "database",
    "ftp-user",
    "session",
    "locale",
    "log-rotation",
    "protected-dir",
    "reseller",
    "reseller-plan",
    "aps",
    "service-plan-addon",
    "site",
    "business-logic-upgrade",
    "php-handler",
    "extension",
]
OLD_OPERATORS = [
    "server",
    "client",
    "domain",
    "subdomain",
    "dns",
    "db_server",
    "mail",
    "migration",
    "certificate",
    "domain_alias",
]


def _many(*names: str, text=STRING) -> list[Elem]:
    return [opt(n, text, max=UNBOUNDED) for n in names]


def _filter_any(*pairs: tuple[str, object]) -> Elem:
    """filter{ (a | b | ...)* }: any number of values, each of one kind."""
    return el(
        "filter", seq(choice(*[el(n, t) for n, t in pairs], min=0, max=UNBOUNDED))
    )


def _filter_one_kind(*pairs: tuple[str, object]) -> Elem:
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


def _dataset(*names: str) -> Elem:
    return el("dataset", all_(*[opt(n) for n in names]))


def _server(v: tuple) -> Elem:
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


def _accounts() -> list[Elem]:
    customer_filter = _filter_any(
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
                el("get", seq(customer_filter, _dataset("gen_info", "stat"))),
                el("get-domain-list", ANY),
                min=1,
                max=UNBOUNDED,
            )
        ),
    )
    reseller_filter = _filter_one_kind(
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
                        _dataset(
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


def _property() -> Elem:
    return el("property", seq(el("name", STRING), el("value", STRING)))


def _domains() -> list[Elem]:
    ws_filter = _filter_any(
        ("id", ID),
        ("owner-id", INT),
        ("name", STRING),
        ("owner-login", STRING),
        ("guid", STRING),
        ("owner-guid", STRING),
        ("external-id", STRING),
        ("owner-external-id", STRING),
    )
    ws_hosting = opt(
        "hosting",
        seq(
            choice(
                el(
                    "vrt_hst",
                    seq(
                        opt("property", _property().content, max=UNBOUNDED),
                        opt("ip_address", STRING, max=2),
                    ),
                ),
                el("std_fwd", ANY),
                el("frm_fwd", ANY),
                el("none"),
            )
        ),
    )
    ws_values = el(
        "values",
        seq(
            opt("gen_setup", ANY),
            opt("limits", ANY),
            opt("prefs", ANY),
            ws_hosting,
            opt("disk_usage", ANY),
            opt("performance", ANY),
            opt("permissions", ANY),
            opt("php-settings", ANY),
            opt("mail", ANY),
        ),
    )
    webspace = el(
        "webspace",
        seq(
            choice(
                el("add", ANY),
                el(
                    "get",
                    seq(
                        ws_filter,
                        _dataset(
                            "gen_info",
                            "hosting",
                            "hosting-basic",
                            "limits",
                            "stat",
                            "prefs",
                            "disk_usage",
                            "performance",
                            "subscriptions",
                            "permissions",
                            "plan-items",
                            "php-settings",
                            "resource-usage",
                            "mail",
                            "aps-filter",
                            "packages",
                        ),
                    ),
                ),
                el("set", seq(ws_filter, ws_values)),
                el("del", ANY),
                min=1,
                max=UNBOUNDED,
            )
        ),
    )
    site_filter = _filter_any(
        ("id", ID),
        ("parent-id", ID),
        ("parent-site-id", ID),
        ("name", STRING),
        ("parent-name", STRING),
        ("parent-site-name", STRING),
        ("guid", STRING),
        ("parent-guid", STRING),
        ("parent-site-guid", STRING),
    )
    site_hosting = opt(
        "hosting",
        seq(
            choice(
                el("vrt_hst", seq(el("property", _property().content, max=UNBOUNDED))),
                el("std_fwd", ANY),
                el("frm_fwd", ANY),
                el("none"),
            )
        ),
    )
    site_values = el(
        "values",
        seq(
            opt("gen_setup", ANY),
            opt("prefs", ANY),
            site_hosting,
            opt("disk_usage", ANY),
            opt("performance", ANY),
        ),
    )
    site = el(
        "site",
        seq(
            choice(
                el("add", ANY),
                el(
                    "get",
                    seq(
                        site_filter,
                        _dataset(
                            "gen_info",
                            "hosting",
                            "stat",
                            "prefs",
                            "disk_usage",
                            "performance",
                        ),
                    ),
                ),
                el("set", seq(site_filter, site_values)),
                el("del", ANY),
                min=1,
                max=UNBOUNDED,
            )
        ),
    )
    alias = el(
        "site-alias",
        seq(
            choice(
                el("create", ANY),
                el(
                    "get",
                    seq(
                        _filter_one_kind(
                            ("id", ID),
                            ("name", STRING),
                            ("site-id", ID),
                            ("site-name", STRING),
                        )
                    ),
                ),
                el("set", ANY),
                el("delete", ANY),
                el("rename", ANY),
                min=1,
                max=UNBOUNDED,
            )
        ),
    )
    subdomain = el(
        "subdomain",
        seq(
            choice(
                el("add", ANY),
                el(
                    "get",
                    seq(
                        _filter_one_kind(
                            ("id", ID), ("name", STRING), ("parent-name", STRING)
                        )
                    ),
                ),
                el("del", ANY),
                el("set", ANY),
                el("rename", ANY),
                min=1,
                max=UNBOUNDED,
            )
        ),
    )
    ip = el(
        "ip",
        seq(
            choice(
                el("add", ANY),
                el("get"),
                el("set", ANY),
                el("del", ANY),
                min=1,
                max=UNBOUNDED,
            )
        ),
    )
    return [webspace, site, alias, subdomain, ip]


def _certificate(v: tuple) -> Elem:
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


def _dns() -> Elem:
    dns_filter = _filter_any(
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


@lru_cache(maxsize=64)
def packet_schema(version: str) -> Elem:
    v = as_tuple(version)
    if v < (1, 6, 3, 0):
        served = {"server": _server(v)}
        names = OLD_OPERATORS
    else:
        served = {
            e.name: e
            for e in [_server(v), *_accounts(), *_domains(), _certificate(v), _dns()]
        }
        names = MODERN_OPERATORS
    operators = [served.get(n) or el(n, ANY) for n in names]
    return el(
        "packet",
        seq(opt("request-settings", ANY), choice(*operators, min=1, max=UNBOUNDED)),
    )


def served_operators(version: str) -> set[str]:
    return (
        {"server"}
        if as_tuple(version) < (1, 6, 3, 0)
        else {
            "server",
            "customer",
            "reseller",
            "webspace",
            "site",
            "site-alias",
            "subdomain",
            "ip",
            "certificate",
            "dns",
        }
    )
