"""The OpenAPI schema and its interactive viewer, served without any CDN."""

from django.contrib.staticfiles import finders

from apps.api.idempotency import HEADER


def test_schema_lists_every_endpoint_with_errors_and_idempotency(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    for path in [
        "/api/v1/servers/",
        "/api/v1/sites/",
        "/api/v1/vouchers/import/",
        "/api/v1/orders/",
        "/api/v1/certificates/",
        "/api/v1/pushes/dry-run/",
        "/api/v1/pushes/{id}/progress/",
        "/api/v1/pushes/{id}/retry-failed/",
        "/api/v1/revocations/",
        "/api/v1/health/",
        "/api/v1/audit/",
    ]:
        assert path in paths, path
    create = paths["/api/v1/pushes/"]["post"]
    assert HEADER in [p["name"] for p in create["parameters"]]
    error = create["responses"]["422"]["content"]["application/json"]["schema"]
    assert error == {"$ref": "#/components/schemas/Error"}
    assert schema["components"]["schemas"]["Error"]["required"] == [
        "code",
        "message",
        "advice",
    ]
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_viewer_loads_its_files_from_this_server(client, db):
    response = client.get("/api/schema/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    )
    assert "cdn" not in page.lower()
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
