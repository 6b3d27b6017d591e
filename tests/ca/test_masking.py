"""What the order log may show of an exchange with the CA."""

from apps.ca.backends.transport import mask

from .site import key_pem, make_key


def test_voucher_codes_keep_only_their_last_four_characters():
    text = (
        "<v:Check><Voucher>SUPER-1234-ABCD</Voucher>"
        "<VoucherOption>a@b.c</VoucherOption>"
    )
    masked = mask(text)
    assert "SUPER-1234" not in masked
    assert "<Voucher>****ABCD</Voucher>" in masked
    assert "<VoucherOption>a@b.c</VoucherOption>" in masked


def test_short_codes_and_passwords_are_hidden_entirely():
    masked = mask("<ns1:Voucher>AB12</ns1:Voucher><Password>s3cret</Password>")
    assert masked == "<ns1:Voucher>****</ns1:Voucher><Password>****</Password>"


def test_private_keys_are_removed():
    pem = key_pem(make_key())
    masked = mask(f"<CSR>x</CSR>{pem}")
    assert "PRIVATE KEY" not in masked and "[private key removed]" in masked
