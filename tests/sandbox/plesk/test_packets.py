"""The sandbox answers packets the way a real Plesk does, errors included."""

import pytest
from lxml import etree

from tests.sandbox.plesk.conftest import post

SITE_GET = (
    "<packet><site><get><filter><name>{}</name></filter>"
    "<dataset><hosting/></dataset></get></site></packet>"
)


def parse(body: str):
    return etree.fromstring(body.encode())


def system_error(body: str) -> tuple[int, str]:
    root = parse(body)
    return int(root.findtext("system/errcode")), root.findtext("system/errtext")


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, 1029),
        ({"HTTP_AUTH_LOGIN": "admin", "HTTP_AUTH_PASSWORD": "x"}, 1029),
        ({"HTTP_AUTH_LOGIN": "admin", "HTTP_AUTH_PASSWD": "wrong"}, 1001),
        ({"KEY": "00000000-0000-0000-0000-000000000000"}, 11003),
    ],
)
def test_authentication_errors_are_system_packets(fleet, headers, code):
    status, body = post(
        fleet.server(1), "<packet><server><get_protos/></server></packet>", headers
    )
    assert status == 200
    assert system_error(body)[0] == code
    assert body.startswith('<?xml version="1.0"?>\n\t<packet')


def test_both_auth_methods_work(fleet):
    srv = fleet.server(2)
    by_password = {
        "HTTP_AUTH_LOGIN": srv.identity.login,
        "HTTP_AUTH_PASSWD": srv.identity.password,
    }
    for headers in (None, by_password):
        _, body = post(srv, "<packet><server><get_protos/></server></packet>", headers)
        assert parse(body).findtext("server/get_protos/result/status") == "ok"


@pytest.mark.parametrize(
    ("packet", "text"),
    [
        (
            "<packet><client><get/></client></packet>",
            "Element 'client': This element is not expected. Expected is one of "
            "( request-settings, server, customer, webspace, subdomain, dns, "
            "db_server, mail, certificate, site-alias ).",
        ),
        (
            "<packet><site><get><filter/></get></site></packet>",
            "Element 'get': Missing child element(s). Expected is ( dataset ).",
        ),
        (
            "<packet><site><get><filter><name>a.example</name><dataset/></filter>"
            "<dataset/></get></site></packet>",
            "Element 'dataset': This element is not expected.",
        ),
        (
            "<packet><webspace><get><filter><owner-id></owner-id></filter><dataset/>"
            "</get></webspace></packet>",
            "Element 'owner-id': '' is not a valid value of the atomic type 'int'.",
        ),
        ("<packet><server><get_protos/>", "Error in line 1"),
    ],
)
def test_invalid_packets_get_1014_with_libxml2_wording(fleet, packet, text):
    _, body = post(fleet.server(1), packet)
    code, errtext = system_error(body)
    assert code == 1014
    assert errtext.startswith("Parser error: Request is invalid. Error in line")
    assert text in errtext


def test_unsupported_version_is_1005_and_echoed(fleet):
    _, body = post(
        fleet.server(3),
        '<packet version="1.6.9.1"><server><get_protos/></server></packet>',
    )
    assert system_error(body) == (
        1005,
        "Protocol version '1.6.9.1' is not supported. Current protocol version "
        "is '1.6.7.0'",
    )
    assert parse(body).get("version") == "1.6.9.1"


def test_old_protocol_has_no_certificate_update(fleet):
    packet = (
        "<packet><certificate><update><name>x</name><site>a.example</site>"
        "<content><csr/><pvt/></content></update></certificate></packet>"
    )
    _, body = post(fleet.server(3), packet)
    assert system_error(body)[0] == 1014
    assert "Element 'update': This element is not expected." in body


def test_one_result_per_filter_value_and_unknown_names_get_1013(fleet):
    srv = fleet.server(1)
    known = srv.state.sites()[0].ascii_name
    packet = (
        f"<packet><site><get><filter><name>{known}</name><name>nope.example</name>"
        "</filter><dataset/></get></site></packet>"
    )
    results = parse(post(srv, packet)[1]).findall("site/get/result")
    assert [r.findtext("status") for r in results] == ["ok", "error"]
    assert results[0].findtext("filter-id") == known
    assert [c.tag for c in results[1]] == ["status", "errcode", "errtext", "filter-id"]
    assert results[1].findtext("errcode") == "1013"


def test_empty_collection_is_an_operation_without_result(fleet):
    srv = fleet.server(1)
    lonely = next(
        w for w in srv.state.webspaces() if w.id not in srv.state.index.children
    )
    packet = (
        f"<packet><site><get><filter><parent-id>{lonely.id}</parent-id></filter>"
        "<dataset/></get></site></packet>"
    )
    get = parse(post(srv, packet)[1]).find("site/get")
    assert get is not None and len(get) == 0


def test_several_operators_answered_in_order(fleet):
    packet = (
        "<packet><server><get_protos/></server><ip><get/></ip>"
        "<server><get><gen_info/></get></server></packet>"
    )
    root = parse(post(fleet.server(1), packet)[1])
    assert [child.tag for child in root] == ["server", "ip", "server"]


def test_pretty_print_indents_by_two_spaces(fleet):
    srv = fleet.server(1)
    _, body = post(
        srv,
        "<packet><server><get_protos/></server></packet>",
        {"KEY": srv.identity.secret_key, "HTTP_PRETTY_PRINT": "TRUE"},
    )
    assert "\n  <server>" in body


def _install(srv, name: str, pvt: str, cert: str = "", target: str = "") -> str:
    site = target or srv.state.sites()[0].ascii_name
    packet = (
        f"<packet><certificate><install><name>{name}</name><site>{site}</site>"
        f"<content><csr/><pvt>{pvt}</pvt><cert>{cert}</cert></content></install>"
        "</certificate></packet>"
    )
    return post(srv, packet)[1]


def _result(body: str, path: str = "certificate/install/result"):
    result = parse(body).find(path)
    return (
        result.findtext("status"),
        result.findtext("errcode"),
        (result.findtext("errtext")),
    )


def test_certificate_errors(fleet):
    from tests.fleet.certs import TestCA

    srv = fleet.server(1)
    key, cert, _ = TestCA().issue("x.example")
    other_key, _, _ = TestCA().issue("x.example")
    assert _result(_install(srv, "bad", "not a key")) == (
        "error",
        "8002",
        "Unable to set pvt content to certificate : Probably, the "
        "private key format is invalid.",
    )
    status, code, text = _result(_install(srv, "pair", other_key, cert))
    assert (status, code) == ("error", "8002") and "does not match" in text
    assert _result(_install(srv, "x", key, cert, "nowhere.example")) == (
        "error",
        "1015",
        "domain does not exist",
    )
    assert _result(_install(srv, "twice", key, cert))[0] == "ok"
    assert _result(_install(srv, "twice", key, cert)) == (
        "error",
        "8006",
        "Unable to set certificate name : ",
    )


def test_a_bound_certificate_is_not_removed(fleet):
    srv, site = next(
        (s, d)
        for s, d in fleet.sites()
        if d.certificate_name and s.identity.number == 1
    )
    packet = (
        f"<packet><certificate><remove><filter><name>{site.certificate_name}</name>"
        f"</filter><site>{site.ascii_name}</site></remove></certificate></packet>"
    )
    status, code, _ = _result(post(srv, packet)[1], "certificate/remove/result")
    assert (status, code) == ("error", "1023")
    assert fleet.pool(site.ascii_name) == [site.certificate_name]


def test_old_protocol_certificate_operations_get_1017(fleet):
    site = fleet.server(1).state.sites()[0].ascii_name
    packet = (
        '<packet version="1.6.3.0"><certificate><get-pool><filter><domain-name>'
        f"{site}</domain-name></filter></get-pool></certificate></packet>"
    )
    _, code, text = _result(
        post(fleet.server(1), packet)[1], "certificate/get-pool/result"
    )
    assert code == "1017"
    assert text == "This feature is not supported for protocol version 1.6.3.0."


def test_injected_error_packets_run_out(fleet):
    srv = fleet.server(2)
    srv.faults.error_packet("server", "get_protos", 1023, "Busy", times=2)
    try:
        packet = "<packet><server><get_protos/></server></packet>"
        codes = [
            parse(post(srv, packet)[1]).findtext("server/get_protos/result/errcode")
            for _ in range(3)
        ]
        srv.faults.error_packet(
            None, None, 1006, "Access to API is disabled for 127.0.0.1", times=1
        )
        assert system_error(post(srv, packet)[1])[0] == 1006
    finally:
        srv.faults.clear()
    assert codes == ["1023", "1023", None]


def test_hostile_requests_are_refused_without_expansion(fleet):
    from apps.sandbox.plesk.faults import BILLION_LAUGHS

    _, body = post(fleet.server(1), BILLION_LAUGHS.decode())
    assert system_error(body)[0] == 1014
