"""What a counselor reads about a run is worded from the matcher's codes, with names."""

from __future__ import annotations

import html
import re

from portal.extensions import db
from portal.models import PairRule, PairRuleKind
from tests import factories
from tests.factories import proposals_of, run_now

CONTRACT_ID = re.compile(r"\b[smp]\d+\b")
HX = {"HX-Request": "true"}


def _text(response) -> str:
    """The page's visible text, entities decoded (names carry apostrophes)."""
    return html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_the_review_words_why_a_student_is_unmatched_with_the_students_name(world, client):
    factories.make_mentor(world.school, grade_min=11, grade_max=12)
    factories.make_student(world.school, first_name="Lina", last_name="Park", grade=9)
    run = run_now(world.programme, world.counselor)
    assert run.unmatched["mentor"][0]["code"] == "grade_outside_band"
    page = _text(client.get(f"/programmes/runs/{run.id}/review"))
    assert "no mentor takes Lina Park's grade" in page
    assert not CONTRACT_ID.search(page.split("Unmatched students")[1])


def test_a_dropped_pin_is_reported_with_names_not_ids(world, client):
    rosa = factories.make_mentor(world.school, first_name="Rosa", last_name="Diaz", grade_min=11)
    lina = factories.make_student(world.school, first_name="Lina", last_name="Park", grade=9)
    db.session.add(
        PairRule(
            programme_id=world.programme.id,
            kind=PairRuleKind.PIN,
            student_id=lina.id,
            mentor_id=rosa.id,
        )
    )
    db.session.commit()
    run = run_now(world.programme, world.counselor)
    assert run.error == "grade 9 is outside Rosa Diaz's grade band 11–12 for Lina Park"
    page = _text(client.get(f"/programmes/runs/{run.id}"))
    assert "Some pins could not be kept: grade 9 is outside Rosa Diaz's grade band" in page


def test_the_explanation_names_where_the_alternatives_went(world, client):
    rosa = factories.make_mentor(world.school, capacity=1, first_name="Rosa", last_name="Diaz")
    factories.make_mentor(world.school, capacity=1, first_name="Ben", last_name="Ode", grade_min=7)
    factories.make_student(world.school, first_name="Lina", last_name="Park", grade=10)
    factories.make_student(world.school, first_name="Sam", last_name="Lee", grade=8)
    proposals = proposals_of(run_now(world.programme, world.counselor))
    ben_s = next(p for p in proposals if p.mentor_id != rosa.id)
    fragment = _text(client.get(f"/programmes/proposals/{ben_s.id}", headers=HX))
    assert "Lina Park (" in fragment  # Ben's next-best student, whom the run gave Rosa
    assert "matched to Rosa Diaz" in fragment
    assert not CONTRACT_ID.search(fragment)
