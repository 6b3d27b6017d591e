"""Bulk pushes through the API: dry run, start, progress, retry the failed."""

from apps.bulk.models import Push
from apps.ca import errors as catalogue
from apps.certificates.models import Order
from apps.fleet.models import Site
from tests.api.fixtures import make_voucher


def push_body(fleet, **target):
    body = {
        "voucher_code": fleet.provider_voucher.code,
        "contact_email": "ops@example.test",
    }
    body.update(target or {"names": [fleet.a.site.name, fleet.b.site.name]})
    return body


def test_dry_run_says_per_site_why_not(api, fleet):
    outside = Site.objects.create(
        server=fleet.server,
        owner=fleet.b.customer,
        name="far-away.example",
        display_name="far-away.example",
        ip_addresses=["10.9.9.9"],
    )
    body = push_body(fleet, filter={"server": fleet.server.pk})
    response = api("staff").post("/api/v1/pushes/dry-run/", body, format="json")
    assert response.status_code == 200, response.content
    summary = response.json()
    assert summary["total"] == 3
    assert summary["passing"] == 2 and summary["failing"] == 1
    rows = {row["site"]: row for row in summary["sites"]}
    assert rows[fleet.a.site.pk]["ok"] is True
    problem = rows[outside.pk]["problems"][0]
    assert problem["code"] == catalogue.IP_OUT_OF_RANGE
    assert problem["advice"]
    assert not Order.objects.filter(site=outside).exists()


def test_filter_narrows_to_a_resellers_subtree(api, fleet, personas):
    body = push_body(fleet, filter={"reseller": personas.reseller_b.pk})
    response = api("staff").post("/api/v1/pushes/dry-run/", body, format="json")
    assert [row["site"] for row in response.json()["sites"]] == [fleet.b.site.pk]


def test_staff_start_a_push_by_names_and_follow_it(api, fleet):
    client = api("staff")
    names = [fleet.a.site.name.upper(), fleet.b.site.name]
    response = client.post(
        "/api/v1/pushes/", push_body(fleet, names=names), format="json"
    )
    assert response.status_code == 201, response.content
    push = Push.objects.get(pk=response.json()["id"])
    assert push.state == Push.State.RUNNING
    assert sorted(push.target["site_ids"]) == sorted([fleet.a.site.pk, fleet.b.site.pk])

    progress = client.get(f"/api/v1/pushes/{push.pk}/progress/").json()
    assert progress["total"] == 2
    assert progress["waiting"] == 2 and progress["complete"] is False


def test_unknown_names_are_listed(api, fleet):
    body = push_body(fleet, names=[fleet.a.site.name, "nowhere.example", "b@d"])
    response = api("staff").post("/api/v1/pushes/", body, format="json")
    assert response.status_code == 400
    message = response.json()["fields"]["names"][0]
    assert "nowhere.example" in message and "b@d" in message
    assert not Push.objects.exclude(pk=fleet.push.pk).exists()


def test_names_or_filter_not_both(api, fleet):
    body = push_body(fleet, names=[fleet.a.site.name], filter={})
    response = api("staff").post("/api/v1/pushes/", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == catalogue.API_INVALID


def test_a_malformed_ip_range_is_a_field_error(api, fleet):
    body = push_body(fleet, filter={"ip_range": "127.0.1.300/24"})
    response = api("staff").post("/api/v1/pushes/dry-run/", body, format="json")
    assert response.status_code == 400
    assert "ip_range" in response.json()["fields"]["filter"]


def test_only_staff_push(api, fleet):
    own = make_voucher(fleet.a.reseller, "RESELLERSUPER001")
    for persona in ("reseller_a", "customer_a1"):
        client = api(persona)
        body = push_body(fleet, names=[fleet.a.site.name])
        body["voucher_code"] = own.code
        for url in ("/api/v1/pushes/", "/api/v1/pushes/dry-run/"):
            response = client.post(url, body, format="json")
            assert response.status_code == 403, (persona, url)
        retry = client.post(f"/api/v1/pushes/{fleet.push.pk}/retry-failed/")
        assert retry.status_code == 403


def test_retry_failed_sends_the_failed_orders_again(api, fleet):
    push = fleet.push
    push.target = {"site_ids": [fleet.a.site.pk], "already_done": []}
    push.state = Push.State.DONE
    push.save()
    order = Order.objects.create(
        site=fleet.a.site,
        voucher=push.voucher,
        push=push,
        state=Order.State.FAILED,
        step="dns",
        names=[fleet.a.site.name],
        error_code=catalogue.DNS_UNRESOLVED,
    )
    before = api("staff").get(f"/api/v1/pushes/{push.pk}/progress/").json()
    assert before["failed"] == 1
    assert before["failures"][0]["code"] == catalogue.DNS_UNRESOLVED

    response = api("staff").post(f"/api/v1/pushes/{push.pk}/retry-failed/")
    assert response.status_code == 200, response.content
    assert response.json()["retried"] == 1
    assert response.json()["push"]["state"] == "running"
    order.refresh_from_db()
    assert order.state != Order.State.FAILED
