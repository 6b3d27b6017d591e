"""Health checks through the API: list them, and check a site now over TLS."""

from apps.certificates.models import HealthCheck
from tests.api.tls import TLSListener


def test_check_a_site_now_sees_what_it_serves(api, fleet):
    site, certificate = fleet.a.site, fleet.a.certificate
    with TLSListener(certificate.cert_pem, certificate.key_pem) as listener:
        site.ip_addresses = ["127.0.0.1"]
        site.save()
        fleet.server.https_port = listener.port
        fleet.server.save()
        response = api("customer_a1").post(
            "/api/v1/health/", {"site": site.pk}, format="json"
        )
    assert response.status_code == 201, response.content
    check = response.json()
    assert check["site"] == site.pk
    assert check["address"] == "127.0.0.1"
    assert check["served_fingerprint"] == certificate.fingerprint_sha256
    assert check["matches_installed"] is True
    assert check["hostname_matches"] is True
    listed = api("customer_a1").get("/api/v1/health/", {"site": site.pk}).json()
    assert listed["results"][0]["id"] == check["id"]


def test_a_site_that_does_not_answer_is_recorded_as_failing(api, fleet):
    site = fleet.a.site
    with TLSListener(fleet.a.certificate.cert_pem, fleet.a.certificate.key_pem) as tls:
        port = tls.port  # closed again below: nothing listens there any more
    site.ip_addresses = ["127.0.0.1"]
    site.save()
    fleet.server.https_port = port
    fleet.server.save()
    response = api("reseller_a").post("/api/v1/health/", {"site": site.pk})
    assert response.status_code == 201
    assert response.json()["ok"] is False
    assert "handshake" in response.json()["error"]


def test_another_tenants_site_cannot_be_checked(api, fleet):
    response = api("customer_a1").post("/api/v1/health/", {"site": fleet.b.site.pk})
    assert response.status_code == 400
    assert (
        not HealthCheck.objects.filter(site=fleet.b.site)
        .exclude(pk=fleet.b.health.pk)
        .exists()
    )


def test_filter_failing_checks(api, fleet):
    HealthCheck.objects.create(site=fleet.a.site, checked_at=fleet.a.health.checked_at)
    failing = api("staff").get("/api/v1/health/", {"ok": "false"}).json()["results"]
    assert [c["site"] for c in failing] == [fleet.a.site.pk]
