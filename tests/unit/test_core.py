import pytest

from apps.accounts import scoping
from apps.core import names, serials
from apps.fleet.models import PleskServer, Site


@pytest.mark.parametrize(
    "typed",
    [
        "0100011617904c9e",
        "01 00 01 16 17 90 4C 9E",
        "01:00:01:16:17:90:4c:9e",
        "0x100011617904C9E",
        "100011617904c9e",
        "01-00-01-16-17-90-4c-9e",
        f"dec:{0x0100011617904C9E}",
    ],
)
def test_serial_spellings_match_as_one_integer(typed):
    assert serials.key(serials.parse(typed)) == "100011617904c9e"


def test_serial_display_keeps_even_digits():
    assert serials.display(0x0100011617904C9E) == "0100011617904c9e"


@pytest.mark.parametrize("bad", ["", "xyz", "0x", "12 3g"])
def test_serial_garbage_is_refused(bad):
    with pytest.raises(serials.InvalidSerial):
        serials.parse(bad)


@pytest.mark.parametrize("negative", ["-1", "0x-1", " -01:00", "0X -1", "dec:-1"])
def test_a_negative_serial_is_refused_not_read_as_its_digits(negative):
    with pytest.raises(serials.InvalidSerial):
        serials.parse(negative)
    with pytest.raises(serials.InvalidSerial):
        serials.candidates(negative)


def test_a_decimal_serial_of_non_ascii_digits_is_refused():
    with pytest.raises(serials.InvalidSerial):
        serials.parse("dec:\u00b2")


def test_idn_names_are_stored_as_a_labels():
    assert names.to_ascii("Bücher.Example.") == "xn--bcher-kva.example"
    assert names.to_unicode("xn--bcher-kva.example") == "bücher.example"


def test_uts46_maps_where_the_builtin_codec_differs():
    # Python's IDNA 2003 codec maps "ß" to "ss", a different domain.
    assert names.to_ascii("faß.de") == "xn--fa-hia.de"


@pytest.mark.parametrize("bad", ["192.0.2.1", "localhost", "-bad.example", "a..b"])
def test_invalid_names_are_refused(bad):
    with pytest.raises(names.InvalidName):
        names.to_ascii(bad)


def test_scope_shows_only_the_users_subtree(personas):
    server = PleskServer.objects.create(name="p1", host="127.0.1.1", secret="k")
    for owner in (personas.customer_a1, personas.customer_b1):
        Site.objects.create(
            server=server, owner=owner, name=f"{owner.pk}.example", display_name="x"
        )
    qs = Site.objects.all()
    assert scoping.scope(qs, personas.staff).count() == 2
    assert [s.owner for s in scoping.scope(qs, personas.reseller_a_user)] == [
        personas.customer_a1
    ]
    assert (
        scoping.scope(qs, personas.customer_b1_user).get().owner == personas.customer_b1
    )
    assert not scoping.scope(
        PleskServer.objects.all(), personas.reseller_a_user
    ).exists()


def test_secrets_are_encrypted_at_rest(db):
    from django.db import connection

    PleskServer.objects.create(name="p1", host="h", secret="s3cret-key")
    with connection.cursor() as cur:
        cur.execute("select secret from fleet_pleskserver")
        stored = cur.fetchone()[0]
    assert "s3cret-key" not in stored
    assert PleskServer.objects.get().secret == "s3cret-key"
