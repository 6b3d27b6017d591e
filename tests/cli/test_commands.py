"""The management commands: what they print and the exit codes scripts rely on
(0 done, 1 the work failed, 2 the command could not start)."""

import io
import subprocess
import sys
import zipfile

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

from apps.bulk.models import Push
from apps.ca import errors as catalogue
from apps.certificates.models import Order
from apps.vouchers import codes
from apps.vouchers.models import Voucher


def run(*args, **options) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of a command run in this process."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err, **options)
    except CommandError as exc:
        err.write(str(exc))
        return exc.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_api_token_prints_a_working_token(personas, client):
    code, out, _ = run("api_token", "reseller-a")
    assert code == 0
    key = out.strip()
    assert Token.objects.get(key=key).user == personas.reseller_a_user
    assert run("api_token", "reseller-a")[1].strip() == key  # the same one again
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.json()["role"] == "reseller"

    code, out, _ = run("api_token", "reseller-a", "--reset")
    assert code == 0 and out.strip() != key
    assert not Token.objects.filter(key=key).exists()


def test_api_token_for_nobody_is_a_usage_error(db):
    code, _, err = run("api_token", "nobody")
    assert code == 2
    assert "nobody" in err


def csv_file(tmp_path, *lines: str):
    path = tmp_path / "vouchers.csv"
    path.write_text("code,kind,expires,uses,networks\n" + "".join(lines))
    return path


def test_import_vouchers(personas, tmp_path):
    new = codes.generate()
    path = csv_file(tmp_path, f"{new},super,2030-12-31,3,127.0.1.0/24\n")
    code, out, _ = run("import_vouchers", str(path), user="staff")
    assert code == 0, out
    assert "imported 1 vouchers" in out
    assert Voucher.objects.get(code=new).owner == personas.provider


def test_import_refused_line_exits_1_and_imports_nothing(personas, tmp_path):
    good = codes.generate()
    path = csv_file(
        tmp_path,
        f"{good},super,2030-12-31,3,\n",
        "SOMECODE2,super,not-a-date,1,\n",
    )
    code, out, err = run("import_vouchers", str(path), user="staff")
    assert code == 1
    assert "line     3 FAIL" in out
    assert "none imported" in err
    assert not Voucher.objects.filter(code=good).exists()


def test_import_by_a_customer_is_refused_with_advice(personas, tmp_path):
    path = csv_file(tmp_path, f"{codes.generate()},super,2030-12-31,3,\n")
    code, _, err = run("import_vouchers", str(path), user="customer-a1")
    assert code == 1
    assert str(catalogue.VOUCHER_NOT_YOURS) in err and "what to do" in err


def test_import_needs_a_user_and_a_readable_file(personas, tmp_path, monkeypatch):
    monkeypatch.delenv("CERTFLEET_USER", raising=False)
    path = csv_file(tmp_path)
    assert run("import_vouchers", str(path))[0] == 2
    assert run("import_vouchers", str(tmp_path / "missing.csv"), user="staff")[0] == 2
    monkeypatch.setenv("CERTFLEET_USER", "staff")
    assert run("import_vouchers", str(path))[0] == 1  # a header only: nothing to do


def test_push_from_a_csv_of_names(fleet, tmp_path):
    names = tmp_path / "sites.csv"
    names.write_text(f"name\n{fleet.a.site.name}\n\n# skip me\n{fleet.b.site.name}\n")
    code, out, _ = run(
        "push",
        voucher=fleet.provider_voucher.code,
        csv=str(names),
        email="ops@example.test",
        user="staff",
    )
    assert code == 0, out
    push = Push.objects.latest("pk")
    assert f"push {push.pk} started on 2 sites" in out
    assert sorted(push.target["site_ids"]) == sorted([fleet.a.site.pk, fleet.b.site.pk])


def test_push_dry_run_by_filter(fleet, personas):
    code, out, err = run(
        "push",
        voucher=fleet.provider_voucher.code,
        reseller=personas.reseller_a.pk,
        dry_run=True,
        user="staff",
    )
    assert code == 0, err
    assert f"ok   {fleet.a.site.name}" in out
    assert fleet.b.site.name not in out
    assert not Push.objects.exclude(pk=fleet.push.pk).exists()


def test_push_dry_run_with_failing_sites_exits_1(fleet):
    fleet.provider_voucher.networks = ["10.0.0.0/8"]
    fleet.provider_voucher.save()
    code, out, _ = run(
        "push",
        voucher=fleet.provider_voucher.code,
        all=True,
        dry_run=True,
        user="staff",
    )
    assert code == 1
    assert f"FAIL {fleet.a.site.name} {catalogue.IP_OUT_OF_RANGE}" in out


@pytest.mark.parametrize(
    "options",
    [
        {},  # no target
        {"all": True},  # no email
        {"all": True, "email": "x@example.test", "server": "no-such-server"},
        {"all": True, "email": "x@example.test", "ip_range": "300.0.0.0/8"},
        {"csv": "/nonexistent.csv", "email": "x@example.test"},
    ],
)
def test_push_usage_errors_change_nothing(fleet, options):
    code, _, _ = run(
        "push", voucher=fleet.provider_voucher.code, user="staff", **options
    )
    assert code == 2
    assert not Push.objects.exclude(pk=fleet.push.pk).exists()


def test_push_with_unknown_names_is_a_usage_error(fleet, tmp_path):
    names = tmp_path / "sites.csv"
    names.write_text("nowhere.example\n")
    code, _, err = run(
        "push",
        voucher=fleet.provider_voucher.code,
        csv=str(names),
        email="ops@example.test",
        user="staff",
    )
    assert code == 2 and "nowhere.example" in err


def make_push_with(fleet, state, error_code=None) -> Push:
    push = fleet.push
    push.target = {"site_ids": [fleet.a.site.pk], "already_done": []}
    push.save()
    Order.objects.create(
        site=fleet.a.site,
        voucher=push.voucher,
        push=push,
        state=state,
        names=[fleet.a.site.name],
        error_code=error_code,
    )
    return push


def test_push_progress_of_a_finished_push(fleet):
    push = make_push_with(fleet, Order.State.DONE)
    code, out, _ = run("push_progress", str(push.pk))
    assert code == 0
    assert "1 sites, 1 done" in out


def test_push_progress_with_failures_exits_1_and_says_why(fleet):
    push = make_push_with(fleet, Order.State.FAILED, catalogue.IP_OUT_OF_RANGE)
    code, out, _ = run("push_progress", str(push.pk), "--json")
    assert code == 1
    assert '"code": -9019' in out
    code, out, _ = run("push_progress", str(push.pk))
    assert "1 x -9019" in out and "what to do" in out


def test_push_progress_wait_times_out(fleet):
    push = make_push_with(fleet, Order.State.PENDING)
    code, out, err = run("push_progress", str(push.pk), "--wait", "--timeout", "0.3")
    assert code == 1 and "still running" in err
    assert run("push_progress", str(push.pk))[0] == 0  # not waiting: just shown
    assert run("push_progress", "999999")[0] == 2


def test_revoke_asks_and_checks_the_serial(fleet, monkeypatch):
    serial = fleet.a.certificate.serial_hex
    # Another tenant's serial reads as unknown.
    assert run("revoke", serial, user="customer-b1", yes=True)[0] == 2
    assert run("revoke", "not-a-serial", user="customer-a1", yes=True)[0] == 2
    # Without --yes and without a terminal to ask on, nothing happens.
    monkeypatch.setattr(sys, "stdin", io.StringIO("yes\n"))
    code, _, err = run("revoke", serial, user="customer-a1")
    assert code == 2 and "--yes" in err
    fleet.a.certificate.refresh_from_db()
    assert fleet.a.certificate.status == "active"


def test_revoke_without_a_ca_fails_with_advice(fleet):
    code, _, err = run(
        "revoke", fleet.a.certificate.serial_hex, user="customer-a1", yes=True
    )
    assert code == 1
    assert str(catalogue.REVOKE_UNSUPPORTED) in err and "what to do" in err


def test_export_pem_and_zip(fleet, tmp_path):
    code, out, _ = run("export_certificates", user="reseller-a")
    assert code == 0
    assert fleet.a.certificate.cert_pem.strip() in out
    assert fleet.b.certificate.cert_pem.strip() not in out
    assert "PRIVATE KEY" not in out

    target = tmp_path / "all.zip"
    code, _, _ = run(
        "export_certificates", "--format", "zip", "--with-keys", output=str(target)
    )
    assert code == 0
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    with zipfile.ZipFile(target) as archive:
        folder = f"{fleet.b.site.name}-{fleet.b.certificate.serial_hex}"
        assert archive.read(f"{folder}/key.pem").decode().startswith("-----BEGIN")
        assert len([n for n in archive.namelist() if n.endswith("key.pem")]) == 2


def test_export_usage_errors(fleet):
    assert run("export_certificates", site="nothing.example")[0] == 2
    assert run("export_certificates", "--format", "zip")[0] == 2


def test_sync_usage_errors(db):
    assert run("sync_server")[0] == 2
    assert run("sync_server", "no-such-server")[0] == 2


def test_argument_errors_exit_2_from_the_shell():
    """argparse's own refusals, as a script sees them."""
    result = subprocess.run(
        [sys.executable, "manage.py", "push", "--all"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "--voucher" in result.stderr
