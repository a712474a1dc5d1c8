"""Issue #15, item 3: free text accepts any script and emoji; Sunday is in the week."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from flask import render_template_string
from wtforms.validators import ValidationError

from portal.forms.validators import clean_text
from portal.vocabulary import SLOTS, slot_label


def check(value: str) -> None:
    clean_text(SimpleNamespace(), SimpleNamespace(data=value))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "value",
    [
        "می\u200cخواهم",  # Persian with a zero-width non-joiner
        "क्\u200dष",  # Devanagari with a zero-width joiner
        "👩\u200d💻 coder",  # an emoji ZWJ sequence
        "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",  # a flag with tag chars
        "❤\ufe0f",  # a variation selector
        "Nguyễn Thị",
        "محمد",
        "王芳",
        "line one\nline two\ttab",
    ],
)
def test_any_script_and_emoji_is_accepted(value: str) -> None:
    check(value)


@pytest.mark.parametrize(
    "value",
    ["a\x00b", "a\x07b", "a\x1bb", "Ana\u202eevil", "a\u2066b", "Lo\u200bpez", "\ufeffx", "\ue000"],
)
def test_control_and_hiding_characters_are_refused(value: str) -> None:
    with pytest.raises(ValidationError, match="invisible or control characters"):
        check(value)


def test_sunday_has_slots_and_a_column_in_the_grid(app: Any) -> None:
    assert {"sun-am", "sun-pm", "sun-eve"} <= set(SLOTS)
    assert slot_label("sun-am") == "Sunday morning"
    field = SimpleNamespace(
        data=["sun-pm"],
        id="availability",
        name="availability",
        errors=[],
        label=SimpleNamespace(text="Free"),
    )
    with app.test_request_context():
        html = render_template_string(
            '{% from "macros/availability.html" import availability_grid %}'
            "{{ availability_grid(f) }}",
            f=field,
        )
    assert 'value="sun-pm"' in html and 'aria-label="Sunday afternoon"' in html
