"""Request schemas of webspace, site, site-alias, subdomain and ip."""

from apps.sandbox.plesk.operators import dataset, filter_any, filter_one_kind
from apps.sandbox.plesk.schema import (
    ANY,
    ID,
    INT,
    STRING,
    UNBOUNDED,
    Elem,
    choice,
    el,
    opt,
    seq,
)


def _property() -> Elem:
    return el("property", seq(el("name", STRING), el("value", STRING)))


def domains() -> list[Elem]:
    ws_filter = filter_any(
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
                        dataset(
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
    site_filter = filter_any(
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
                        dataset(
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
                        filter_one_kind(
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
                        filter_one_kind(
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
