"""The list of contract cases, one per example pair."""

from apps.fleet.plesk import packets
from apps.fleet.plesk import sites as requests
from tests.contract import sandbox_values as sv
from tests.contract.cases import (
    Case,
    _bind,
    _install,
    _packet,
    build_restore,
    build_unknown_certificate,
    read_accounts,
    read_attached,
    read_binding,
    read_failure,
    read_ips,
    read_no_hosting,
    read_nothing,
    read_ok,
    read_pool,
    read_protos,
    read_record_id,
    read_records,
    read_server,
    read_sites,
    read_system_1029,
    read_webspaces,
    site,
)


def _get(kind, filters, dataset):
    return lambda v: _packet(v, packets.get_by(kind, filters(v), dataset))


CASES = [
    Case(
        "server_get_protos",
        lambda v: _packet(v, packets.get_protos(), False),
        read_protos,
        sv.plain,
    ),
    Case(
        "server_get", lambda v: _packet(v, packets.server_info()), read_server, sv.plain
    ),
    Case(
        "site_get_hosting",
        lambda v: _packet(v, requests.binding_request(site(v))),
        read_binding,
        sv.plain,
    ),
    Case(
        "site_get_no_hosting",
        lambda v: _packet(v, requests.binding_request(site(v))),
        read_no_hosting,
        sv.no_hosting,
    ),
    Case(
        "site_get_unknown",
        _get("site", lambda v: [("name", v["missing"])], ["hosting"]),
        read_failure(1013, "Site does not exist"),
        sv.plain,
    ),
    Case(
        "site_get_empty",
        _get("site", lambda v: [("parent-id", v["id"])], ["gen_info", "hosting"]),
        read_nothing,
        sv.lonely_webspace,
    ),
    Case(
        "site_get_by_parent",
        _get("site", lambda v: [("parent-id", v["id"])], ["gen_info", "hosting"]),
        read_sites,
        sv.parent_webspace,
    ),
    Case(
        "webspace_get_all",
        _get("webspace", lambda v: [], ["gen_info"]),
        read_webspaces,
        sv.plain,
    ),
    Case(
        "customer_get_all",
        _get("customer", lambda v: [], ["gen_info"]),
        read_accounts("customer", "gen_info"),
        sv.plain,
    ),
    Case(
        "reseller_get_all",
        _get("reseller", lambda v: [], ["gen-info"]),
        read_accounts("reseller", "gen-info"),
        sv.plain,
    ),
    Case(
        "ip_get",
        lambda v: _packet(v, packets.operator("ip", "get")[0]),
        read_ips,
        sv.plain,
    ),
    Case(
        "site_alias_get_all",
        _get("site-alias", lambda v: [], None),
        read_attached,
        sv.plain,
    ),
    Case(
        "subdomain_get_all",
        _get("subdomain", lambda v: [], None),
        read_attached,
        sv.plain,
    ),
    Case("site_set_binding", _bind("site"), read_ok, sv.installed),
    Case("webspace_set_binding", _bind("webspace"), read_ok, sv.installed_webspace),
    Case("site_set_restore", build_restore, read_ok, sv.installed),
    Case(
        "site_set_unknown_certificate",
        build_unknown_certificate,
        read_failure(1013, "Unable to find certificate"),
        sv.plain,
    ),
    Case("certificate_install", _install("install"), read_ok, sv.plain),
    Case(
        "certificate_install_duplicate",
        _install("install"),
        read_failure(8006, "Unable to set certificate name : "),
        sv.installed,
    ),
    Case("certificate_update", _install("update"), read_ok, sv.installed),
    Case(
        "certificate_get_pool",
        lambda v: _packet(v, requests.pool_request(site(v))),
        read_pool,
        sv.installed,
    ),
    Case(
        "certificate_remove",
        lambda v: _packet(v, requests.remove_request(site(v), v["cert_name"])),
        read_ok,
        sv.installed,
    ),
    Case(
        "dns_add_rec",
        lambda v: _packet(
            v, requests.txt_request(site(v, "webspace"), "_acme-challenge", v["txt"])
        ),
        read_record_id,
        sv.webspace,
    ),
    Case("dns_get_rec", lambda v: _packet(v, _get_rec(v)), read_records, sv.webspace),
    Case(
        "dns_del_rec",
        lambda v: _packet(v, packets.delete_records([int(v["record_id"])])),
        read_ok,
        sv.with_record,
    ),
    Case(
        "system_error_no_auth",
        lambda v: _packet(v, packets.get_protos(), False),
        read_system_1029,
        sv.plain,
        auth=False,
    ),
]


def _get_rec(v):
    block, op = packets.operator("dns", "get_rec")
    packets.node(packets.node(op, "filter"), "site-id", v["id"])
    return block
