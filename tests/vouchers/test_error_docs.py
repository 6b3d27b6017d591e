"""docs/error-codes.md stays true: one row per catalogue code, and every test it
names exists."""

import re

from django.conf import settings

from apps.ca import errors

DOC = settings.BASE_DIR / "docs" / "error-codes.md"
ROW = re.compile(r"^\| (-?\d+) \| (\w+) \| (.+?) \| (.+) \|$")
TEST_REF = re.compile(r"(tests/[\w/]+\.py)::(test_\w+)")


def rows() -> list[re.Match]:
    return [m for m in map(ROW.match, DOC.read_text().splitlines()) if m]


def test_every_code_of_the_catalogue_has_one_row():
    codes = [int(row[1]) for row in rows()]
    assert len(codes) == len(set(codes)), "a code is listed twice"
    assert set(codes) == set(errors.CATALOGUE)


def test_rows_use_the_catalogues_names():
    names = {
        value: name
        for name, value in vars(errors).items()
        if name.isupper() and isinstance(value, int)
    }
    for row in rows():
        assert row[2] == names[int(row[1])], row[0]
        assert row[3].strip() and row[3] != "-", f"{row[1]}: how is it detected?"


def test_every_named_test_exists():
    for row in rows():
        for path, name in TEST_REF.findall(row[4]):
            source = settings.BASE_DIR / path
            assert source.exists(), f"{row[1]}: {path} is missing"
            assert re.search(rf"^def {name}\(", source.read_text(), re.M), (
                f"{row[1]}: {path}::{name} is missing"
            )
