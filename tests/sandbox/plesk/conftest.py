import http.client
import ssl

import pytest

from apps.sandbox.plesk import start_fleet


@pytest.fixture(scope="module")
def fleet():
    running = start_fleet(servers=3, sites=120, seed=7)
    yield running
    running.stop()


def post(srv, body: str, headers: dict | None = None) -> tuple[int, str]:
    """POST a packet to a sandbox server, trusting only its panel certificate."""
    context = ssl.create_default_context(cadata=srv.panel.cert_pem)
    conn = http.client.HTTPSConnection(
        srv.identity.host, srv.api_port, context=context, timeout=10
    )
    if headers is None:
        headers = {"KEY": srv.identity.secret_key}
    try:
        conn.request(
            "POST",
            "/enterprise/control/agent.php",
            body.encode(),
            {"Content-Type": "text/xml", **headers},
        )
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()
