"""Every word a template shows goes through Django's translation machinery."""

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Names and symbols that read the same in every language.
ALLOWED = {"Certfleet", "SHA-256", "UTC", "s"}

_STRIP = [
    re.compile(r"{%\s*blocktranslate.*?endblocktranslate\s*%}", re.S),
    re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S),
    re.compile(r"{#.*?#}", re.S),
    re.compile(r"{%.*?%}", re.S),
    re.compile(r"{{.*?}}", re.S),
    re.compile(r"<script.*?</script>", re.S),
    re.compile(r"<style.*?</style>", re.S),
    re.compile(r"<[^>]*>", re.S),
    re.compile(r"&\w+;"),
]


def untranslated_words(text: str) -> list[str]:
    for pattern in _STRIP:
        text = pattern.sub(" ", text)
    words = re.findall(r"[A-Za-z][A-Za-z0-9'-]*", text)
    return [w for w in words if w not in ALLOWED]


@pytest.mark.parametrize(
    "template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: p.name
)
def test_template_text_is_translatable(template):
    assert untranslated_words(template.read_text()) == []


def test_the_scanner_catches_bare_text():
    assert untranslated_words('<p>{% translate "Fine" %} Oops</p>') == ["Oops"]


def test_an_english_catalogue_exists():
    catalogue = Path(settings.BASE_DIR) / "locale/en/LC_MESSAGES/django.po"
    assert 'msgid "Redeem a voucher"' in catalogue.read_text()
