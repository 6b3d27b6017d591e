"""Voucher codes: generated unambiguous, read the way people type them."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.vouchers import codes

LOOK_ALIKES = set("0O1ILBSZ2586GDQUV")


def test_generated_codes_avoid_look_alikes_and_pass_their_check():
    seen = {codes.generate() for _ in range(500)}
    assert len(seen) == 500
    for code in seen:
        assert len(code) == codes.LENGTH
        assert not set(code) & (LOOK_ALIKES - set(codes.ALPHABET))
        assert codes.normalize(code) == code
        assert codes.check_ok(code)


def test_alphabet_has_no_pair_that_folds_together():
    assert len(codes.ALPHABET) == 23
    folded = {codes.normalize(symbol) for symbol in codes.ALPHABET}
    assert folded == set(codes.ALPHABET)
    assert not set(codes.ALPHABET) & set("0O1ILBSZGDQUV")
    assert {"2", "5", "8", "6"} <= set(codes.ALPHABET)


def test_display_groups_by_four():
    assert codes.display("ACEF2345HJKM6789") == "ACEF-2345-HJKM-6789"


@pytest.mark.parametrize(
    "typed",
    [
        "ABCO-IL5Z",
        "abc0 1l5z",
        "  a b c o - i l 5 z ",
        "ABC0\u2013IL5Z",  # an en dash pasted from a document
        "\uff21\uff22\uff23O-IL5Z",  # full-width letters
        "ABC0_115Z",
    ],
)
def test_typed_variants_normalize_to_one_code(typed):
    assert codes.normalize(typed) == "ABC0115Z"


def test_normalize_keys_codes_the_way_the_ca_does():
    # The CA folds O/0 and I/L/1 only; anything more would send it a code it
    # does not know.
    assert codes.normalize("SANDBOXSUPER0001") == "SANDB0XSUPER0001"


@given(st.text(alphabet=codes.ALPHABET, min_size=15, max_size=15))
def test_any_single_mistyped_character_fails_the_check(body):
    code = body + codes._check_symbol(body)
    assert codes.check_ok(code)
    for position in range(codes.LENGTH):
        for other in codes.ALPHABET:
            if other == code[position]:
                continue
            typo = code[:position] + other + code[position + 1 :]
            assert not codes.check_ok(typo)


@given(st.text(alphabet=codes.ALPHABET, min_size=15, max_size=15))
def test_any_two_swapped_characters_fail_the_check(body):
    code = body + codes._check_symbol(body)
    for i in range(codes.LENGTH):
        for j in range(i + 1, codes.LENGTH):
            if code[i] == code[j]:
                continue
            swapped = list(code)
            swapped[i], swapped[j] = swapped[j], swapped[i]
            assert not codes.check_ok("".join(swapped))


def test_imported_codes_of_other_shapes_are_not_taken_for_generated_ones():
    assert not codes.looks_generated(codes.normalize("GS-ONECLICK-0001"))
    assert not codes.check_ok("SHORT")
