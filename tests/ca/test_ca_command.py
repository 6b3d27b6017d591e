import pytest
from django.core.management import CommandError, call_command

from apps.ca.models import CertificateAuthority

ROOT = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"


@pytest.fixture
def roots(tmp_path):
    path = tmp_path / "roots.pem"
    path.write_text(ROOT)
    return str(path)


def test_add_makes_the_new_authority_the_only_default(db, roots, monkeypatch):
    monkeypatch.setenv("CA_SECRET", "s3cret")
    url = "https://ca.example/vc/ws/OneClickOrder?wsdl"
    call_command(
        "ca",
        "add",
        "Old",
        "--backend",
        "voucher",
        "--endpoint",
        url,
        "--trusted-roots",
        roots,
        "--default",
    )
    call_command(
        "ca",
        "add",
        "New",
        "--backend",
        "voucher",
        "--endpoint",
        url,
        "--trusted-roots",
        roots,
        "--secret-env",
        "CA_SECRET",
        "--default",
    )
    defaults = CertificateAuthority.objects.filter(is_default=True)
    assert [ca.name for ca in defaults] == ["New"]
    new = defaults.get()
    assert new.trusted_roots == ROOT
    assert new.account_secret == "s3cret"


def test_voucher_authority_needs_its_roots(db):
    with pytest.raises(CommandError, match="trusted-roots"):
        call_command(
            "ca",
            "add",
            "X",
            "--backend",
            "voucher",
            "--endpoint",
            "https://ca.example/wsdl",
        )
    assert not CertificateAuthority.objects.exists()


def test_secret_comes_only_from_a_named_variable(db, roots, monkeypatch):
    monkeypatch.delenv("NOPE", raising=False)
    with pytest.raises(CommandError, match="NOPE is not set"):
        call_command(
            "ca",
            "add",
            "X",
            "--backend",
            "voucher",
            "--endpoint",
            "https://ca.example/wsdl",
            "--trusted-roots",
            roots,
            "--secret-env",
            "NOPE",
        )
