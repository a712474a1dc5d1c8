"""Issue #15: the review page names every control, has unique ids and says things plainly."""

from __future__ import annotations

import re
from collections import Counter

from flask import Flask, render_template

from portal.extensions import db
from portal.programmes.summary import histogram_bars
from tests.security.harness import client_as
from tests.security.world import TwoSchoolWorld


def _review(app: Flask) -> str:
    world = TwoSchoolWorld.new()
    world.a.run.stats = {
        "mentor": {"matched": 1, "students": 2, "blocking_pairs": 1, "histogram": [0, 1]}
    }
    db.session.commit()
    client = client_as(app, world, "counselor")
    return client.get(f"/programmes/runs/{world.a.run.id}/review").get_data(as_text=True)


def test_ids_are_unique_and_the_filter_label_targets_the_filter(app: Flask) -> None:
    html = _review(app)
    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert [i for i, n in ids.items() if n > 1] == []
    assert '<label for="filter-min-score">Lowest score</label>' in html


def test_repeated_buttons_carry_the_pairs_names(app: Flask) -> None:
    html = _review(app)
    for action in ("Approve", "Pin", "Reject", "Why?"):
        assert re.search(
            action.replace("?", r"\?") + r'<span class="visually-hidden"> \S+ \S+ and ', html
        ), action


def test_projects_are_named_with_their_organisation(app: Flask) -> None:
    world = TwoSchoolWorld.new()
    html = (
        client_as(app, world, "counselor")
        .get(f"/programmes/runs/{world.a.run.id}/review")
        .get_data(as_text=True)
    )
    assert f"{world.a.project.title} ({world.a.org.name})" in html


def test_chart_counts_are_text_and_jargon_is_explained(app: Flask) -> None:
    with app.test_request_context():
        chart = render_template(
            "programmes/_histogram.html", side={"kind": "mentor", "bars": histogram_bars([2, 5])}
        )
    assert "<li>2 proposals scoring 0.0–0.5</li>" in chart
    assert "<li>5 proposals scoring 0.5–1.0</li>" in chart
    html = _review(app)
    assert "<dt>Blocking pairs</dt>" not in html
    assert "Would any pairs rather swap?" in html
    assert "project who fits" not in html


def test_swap_names_a_project_with_its_organisation(app: Flask) -> None:
    world = TwoSchoolWorld.new()
    expected = f"{world.a.project.title} ({world.a.org.name})"
    assert world.a.project_proposal.partner_name == expected
