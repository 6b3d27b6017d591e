"""The request side of the XML API schema: which operators a packet of a given
protocol version may hold. Operators the sandbox knows by name but does not serve
accept any content and are answered with error 1017.
"""

from functools import lru_cache

from apps.sandbox.plesk import operators, operators_domains
from apps.sandbox.plesk.schema import ANY, UNBOUNDED, Elem, choice, el, opt, seq
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


@lru_cache(maxsize=64)
def packet_schema(version: str) -> Elem:
    v = as_tuple(version)
    if v < (1, 6, 3, 0):
        served = {"server": operators.server(v)}
        names = OLD_OPERATORS
    else:
        served = {
            e.name: e
            for e in [
                operators.server(v),
                *operators.accounts(),
                *operators_domains.domains(),
                operators.certificate(v),
                operators.dns(),
            ]
        }
        names = MODERN_OPERATORS
    blocks = [served.get(n) or el(n, ANY) for n in names]
    return el(
        "packet",
        seq(opt("request-settings", ANY), choice(*blocks, min=1, max=UNBOUNDED)),
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
