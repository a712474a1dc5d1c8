"""Issue #15: language and area codes are shown by their names."""

from __future__ import annotations

from flask import Flask

from portal.extensions import db
from portal.vocabulary import area_name, language_names
from tests.security.harness import client_as
from tests.security.world import TwoSchoolWorld


def test_names_of_codes() -> None:
    assert language_names(["es", "ar"]) == "Spanish, Arabic"
    assert language_names([]) == "—" and language_names(None) == "—"
    assert area_name("central") == "Central" and area_name(None) == "—"


def test_partner_and_student_pages_show_names_not_codes(app: Flask) -> None:
    world = TwoSchoolWorld.new()
    world.a.mentor.languages = ["es", "ar"]
    world.a.mentor.area = "central"
    world.a.student.languages = ["vi"]
    world.a.student.area = "north"
    db.session.commit()
    client = client_as(app, world, "counselor")
    partner = client.get(f"/counselor/partners/mentor/{world.a.mentor.id}").get_data(as_text=True)
    assert "<dd>Spanish, Arabic</dd>" in partner and "<dd>Central</dd>" in partner
    student = client.get(f"/counselor/students/{world.a.student.id}").get_data(as_text=True)
    assert "<dd>Vietnamese</dd>" in student and "<dd>North</dd>" in student
