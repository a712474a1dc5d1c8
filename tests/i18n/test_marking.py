"""Every text of the user-facing templates is marked for translation, and translated.

A literal text between tags (a Jinja ``data`` token) with letters, outside a
``{% trans %}`` block, fails; so does a literal ``aria-label``/``placeholder``/``title``/
``alt`` attribute. The Spanish catalogue holds a non-empty, non-fuzzy translation of every
message of those templates, and the compiled ``.mo`` matches the ``.po``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from jinja2 import Environment

from tests.i18n.catalogue import SPANISH_MO, SPANISH_PO, TEMPLATES, user_templates

# Text that needs no translation: the portal's name (a proper noun), and an attribute a
# macro writes into the tag around it (``aria-describedby="{{ ids }}"``).
ALLOWED = ("Mentorbridge",)
_ATTRIBUTE_NAME = re.compile(r"^\s*[a-z-]+=\"\s*$")
HOLE = "\x00"  # stands for a Jinja tag or expression in the joined text
_TAG = re.compile(r"<!--.*?-->|<(script|style)\b.*?</\1>|<[^>]*>", re.S | re.I)
_ENTITY = re.compile(r"&[a-zA-Z]+;|&#\d+;")
_ATTRIBUTE = re.compile(r'\b(aria-label|placeholder|title|alt)="([^"]*)"')


def _literal_text(source: str) -> str:
    """The template's literal data, with every Jinja construct and trans block a HOLE."""
    parts: list[str] = []
    depth = 0  # inside {% trans %} ... {% endtrans %}
    previous = ""
    for _line, kind, value in Environment(extensions=["jinja2.ext.i18n"], autoescape=True).lex(
        source
    ):
        if kind == "name" and previous == "block_begin":
            depth += {"trans": 1, "endtrans": -1}.get(value, 0)
        parts.append(value if kind == "data" and depth == 0 else HOLE)
        previous = kind if kind != "whitespace" else previous
    return "".join(parts)


def unmarked_texts(path: Path) -> list[str]:
    """The literal texts with letters of ``path`` that no ``_()``/trans block wraps."""
    data = _literal_text(path.read_text())
    found = [value for _name, value in _ATTRIBUTE.findall(data) if _has_words(value)]
    for piece in _TAG.sub(HOLE, data).split(HOLE):
        if _has_words(piece):
            found.append(" ".join(piece.split()))
    return found


def _has_words(text: str) -> bool:
    if _ATTRIBUTE_NAME.match(text):
        return False
    text = _ENTITY.sub("", text)
    for name in ALLOWED:
        text = text.replace(name, "")
    return re.search(r"[^\W\d_]", text) is not None


@pytest.mark.parametrize("path", user_templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_every_text_a_user_sees_is_marked_for_translation(path: Path) -> None:
    assert unmarked_texts(path) == []


def test_the_check_finds_unmarked_text(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        '<p class="x">{{ _("Marked") }} Plain words {{ name }}</p>'
        '<input placeholder="Type here"><a href="{{ url }}">{{ _("Ok") }}</a>'
        "{% trans %}Inside a block{% endtrans %}<span>Mentorbridge · 2026</span>"
    )
    assert unmarked_texts(page) == ["Type here", "Plain words"]


def _template_messages() -> set[str | tuple[str, ...]]:
    ids: set[str | tuple[str, ...]] = set()
    for path in user_templates():
        for _line, message, _comments, _context in extract_from_file("jinja2", str(path)):
            ids.add(message)
    return ids


def test_spanish_translates_every_message_of_the_user_templates() -> None:
    catalogue = read_po(SPANISH_PO.open("rb"))
    wanted = _template_messages()
    assert wanted
    missing = []
    for message_id in wanted:
        entry = catalogue.get(_key(message_id))
        if entry is None or not _done(entry.string, entry.fuzzy):
            missing.append(_key(message_id))
    assert sorted(missing) == []


def test_the_compiled_catalogue_matches_the_po_file() -> None:
    source = read_po(SPANISH_PO.open("rb"))
    compiled = read_mo(SPANISH_MO.open("rb"))
    translated = {_key(m.id): _text(m.string) for m in source if m.id and _done(m.string, m.fuzzy)}
    in_mo = {_key(m.id): _text(m.string) for m in compiled if m.id}
    assert in_mo == translated, "run: pybabel compile -d portal/translations"


def _key(message_id: str | tuple[str, ...] | list[str]) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


def _text(string: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return (string,) if isinstance(string, str) else tuple(string)


def _done(string: str | tuple[str, ...] | list[str], fuzzy: bool) -> bool:
    return not fuzzy and all(_text(string))
