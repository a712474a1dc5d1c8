"""Programme and review pages, with and without htmx; roles and other schools."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from werkzeug.routing import MapAdapter

from portal import i18n
from portal.extensions import db
from portal.models import MatchRun, Programme, ProposalStatus, RunStatus, utcnow
from portal.programmes import runs
from tests import factories
from tests.factories import make_programme, matching_term, proposals_of, run_now
from tests.programmes.conftest import ProgrammeWorld

HX = {"HX-Request": "true"}


def _form(school_id, **overrides):
    data = {
        "school_id": school_id, "name": "Spring mentoring", "kind": "mentoring",
        "starts_on": "2026-01-10", "ends_on": "2026-06-30", "min_score": "0.2",
        "require_common_slot": "y", "require_common_language": "y", "quiet_weeks": "3",
        "meeting_info": "Thursdays at 4 pm in room 12",
        **{f"weight_{n}": "1" for n in ("interests", "goals", "availability", "modality",
                                        "language", "grade", "area")},
    }  # fmt: skip
    data.update(overrides)
    return data


def test_create_programme_redirects_and_saves(world, client):
    response = client.post("/programmes/new", data=_form(world.school.id))
    assert response.status_code == 303
    programme = db.session.scalar(db.select(Programme).where(Programme.name == "Spring mentoring"))
    assert response.headers["Location"].endswith(f"/programmes/{programme.id}")
    assert programme.quiet_weeks == 3 and programme.weights["area"] == 1.0


def test_create_programme_with_htmx_answers_hx_redirect(world, client):
    response = client.post("/programmes/new", data=_form(world.school.id), headers=HX)
    assert response.status_code == 204 and "HX-Redirect" in response.headers


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("ends_on", "2025-12-01", "end after it starts"), ("min_score", "2", "between"),
     ("weight_interests", "-1", "between")],
)  # fmt: skip
def test_bad_programme_input_is_422_and_saves_nothing(world, client, field, value, message):
    before = db.session.scalar(db.select(db.func.count()).select_from(Programme))
    response = client.post(
        "/programmes/new", data=_form(world.school.id, **{field: value}), headers=HX
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert 'id="programme-form"' in body and "<html" not in body and message in body
    assert db.session.scalar(db.select(db.func.count()).select_from(Programme)) == before


def test_all_weights_zero_is_refused(world, client):
    zeros = {f"weight_{n}": "0" for n in ("interests", "goals", "availability", "modality",
                                          "language", "grade", "area")}  # fmt: skip
    response = client.post("/programmes/new", data=_form(world.school.id, **zeros))
    assert response.status_code == 422
    assert "at least one criterion" in response.get_data(as_text=True)


def test_the_form_shows_each_criterion_description(world, client):
    body = client.get("/programmes/new").get_data(as_text=True)
    assert "Shared interests: the interests both list" in body


def test_another_schools_programme_is_404_and_its_school_cannot_be_chosen(world, client):
    other = make_programme(factories.make_school(), **matching_term())
    assert client.get(f"/programmes/{other.id}").status_code == 404
    assert client.post(f"/programmes/{other.id}/runs").status_code == 404
    response = client.post("/programmes/new", data=_form(other.school_id))
    assert response.status_code == 422


def test_students_and_mentors_are_refused(app, client, auth):
    world = ProgrammeWorld.new()
    auth.login_as(factories.make_student(world.school).user)
    assert client.get(f"/programmes/{world.programme.id}").status_code == 403
    assert client.get("/programmes/").status_code == 403


def test_run_matching_then_review(world, client):
    factories.make_mentor(world.school, capacity=1)
    student = factories.make_student(world.school, first_name="Lina")
    factories.make_student(world.school, first_name="Omar")
    response = client.post(f"/programmes/{world.programme.id}/runs")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-status="succeeded"' in page and "hx-trigger" not in page
    run = db.session.scalar(db.select(MatchRun))
    review = client.get(f"/programmes/runs/{run.id}/review").get_data(as_text=True)
    assert "<svg" in review and "1</strong> of 2 students" in review
    assert " style=" not in review
    assert "pending" in review or "Recruit" in review
    assert student.first_name in review


def test_run_status_fragment_polls_only_while_active(world, client):
    run = runs.start_run(world.counselor, world.programme)
    fragment = client.get(f"/programmes/runs/{run.id}", headers=HX).get_data(as_text=True)
    assert 'hx-trigger="every 1s"' in fragment and "<html" not in fragment
    assert "Refresh</a>" in fragment
    db.session.get(MatchRun, run.id).status = RunStatus.RUNNING
    db.session.get(MatchRun, run.id).heartbeat_at = utcnow() - dt.timedelta(minutes=10)
    db.session.commit()
    fragment = client.get(f"/programmes/runs/{run.id}", headers=HX).get_data(as_text=True)
    assert 'data-status="failed"' in fragment and "hx-trigger" not in fragment
    assert "Run again" in fragment


def test_a_second_run_while_one_is_active_is_refused_kindly(world, client):
    runs.start_run(world.counselor, world.programme)
    response = client.post(f"/programmes/{world.programme.id}/runs", follow_redirects=True)
    assert "already in progress" in response.get_data(as_text=True)


def _one_proposal(world):
    factories.make_mentor(world.school, capacity=1, first_name="Rosa")
    factories.make_student(world.school, first_name="Lina")
    [proposal] = proposals_of(run_now(world.programme, world.counselor))
    return proposal


def test_explanation_fragment_and_full_page(world, client):
    proposal = _one_proposal(world)
    fragment = client.get(f"/programmes/proposals/{proposal.id}", headers=HX).get_data(as_text=True)
    assert "<html" not in fragment
    assert "Shared interests: Robotics, Coding" in fragment
    assert "Tuesday afternoon" in fragment and "Both speak: English, Spanish" in fragment
    page = client.get(f"/programmes/proposals/{proposal.id}").get_data(as_text=True)
    assert "<html" in page and "Tuesday afternoon" in page


def test_explanation_words_come_from_the_profiles_the_run_scored(world, client):
    proposal = _one_proposal(world)
    assert proposal.basis["student"]["interests"] == proposal.student.interests
    assert "capacity" not in proposal.basis["partner"]  # only what was scored
    proposal.student.interests = ["chess"]  # the student edits the profile after the run
    proposal.student.availability = ["sat-am"]
    db.session.commit()
    url = f"/programmes/proposals/{proposal.id}"
    fragment = client.get(url, headers=HX).get_data(as_text=True)
    assert "Shared interests: Robotics, Coding" in fragment and "Tuesday afternoon" in fragment
    proposal.basis = {}  # a proposal stored before runs kept their basis: today's profiles
    db.session.commit()
    fragment = client.get(url, headers=HX).get_data(as_text=True)
    assert "Shared interests: none" in fragment and "Tuesday afternoon" not in fragment


def test_approve_with_htmx_swaps_the_row(world, client):
    proposal = _one_proposal(world)
    response = client.post(f"/programmes/proposals/{proposal.id}/approve", headers=HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert body.strip().startswith(f'<tr id="proposal-{proposal.id}"') and "Approved." in body
    again = client.post(f"/programmes/proposals/{proposal.id}/approve", headers=HX)
    assert "Already approved." in again.get_data(as_text=True)


def test_approve_without_htmx_redirects_to_the_review(world, client):
    proposal = _one_proposal(world)
    response = client.post(f"/programmes/proposals/{proposal.id}/approve")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/programmes/runs/{proposal.run_id}/review")
    db.session.refresh(proposal)
    assert proposal.status == ProposalStatus.APPROVED


def test_reject_needs_a_reason(world, client):
    proposal = _one_proposal(world)
    response = client.post(f"/programmes/proposals/{proposal.id}/reject", data={}, headers=HX)
    assert response.status_code == 422
    assert re.search(r'aria-invalid="true"', response.get_data(as_text=True))
    full = client.post(f"/programmes/proposals/{proposal.id}/reject", data={})
    assert full.status_code == 422 and "<html" in full.get_data(as_text=True)
    ok = client.post(
        f"/programmes/proposals/{proposal.id}/reject",
        data={"reason": "Too far", "forbid": "y"},
        headers=HX,
    )
    assert ok.status_code == 200 and "forbidden in later runs" in ok.get_data(as_text=True)


def test_pin_with_htmx(world, client):
    proposal = _one_proposal(world)
    body = client.post(f"/programmes/proposals/{proposal.id}/pin", headers=HX).get_data(
        as_text=True
    )
    assert "pinned for later runs" in body


def test_bulk_approve_and_bad_score(world, client):
    proposal = _one_proposal(world)
    bad = client.post(
        f"/programmes/runs/{proposal.run_id}/approve-above", data={"min_score": "7"}, headers=HX
    )
    assert bad.status_code == 422 and 'id="bulk-approve"' in bad.get_data(as_text=True)
    unconfirmed = client.post(
        f"/programmes/runs/{proposal.run_id}/approve-above", data={"min_score": "0"}, headers=HX
    )
    assert unconfirmed.status_code == 422
    assert "approvals cannot be undone here" in unconfirmed.get_data(as_text=True)
    db.session.refresh(proposal)
    assert proposal.status == ProposalStatus.PROPOSED
    ok = client.post(
        f"/programmes/runs/{proposal.run_id}/approve-above",
        data={"min_score": "0", "confirm": "y"},
        headers=HX,
    )
    assert ok.status_code == 204 and "HX-Redirect" in ok.headers
    db.session.refresh(proposal)
    assert proposal.status == ProposalStatus.APPROVED


def test_review_filters(world, client):
    proposal = _one_proposal(world)
    url = f"/programmes/runs/{proposal.run_id}/review"
    hit = client.get(url, query_string={"q": "lina"}, headers=HX).get_data(as_text=True)
    assert 'id="proposals"' in hit and f"proposal-{proposal.id}" in hit and "<html" not in hit
    miss = client.get(url, query_string={"q": "nobody"}, headers=HX).get_data(as_text=True)
    assert f"proposal-{proposal.id}" not in miss
    approved = client.get(url, query_string={"status": "approved"}).get_data(as_text=True)
    assert f"proposal-{proposal.id}" not in approved
    high = client.get(url, query_string={"min_score": "0.99"}).get_data(as_text=True)
    assert f"proposal-{proposal.id}" not in high


def test_a_review_row_builds_each_action_url_once(world, client, monkeypatch):
    proposal = _one_proposal(world)
    proposal_id, built = proposal.id, []
    build = MapAdapter.build

    def counting(adapter, endpoint, values=None, *args, **kwargs):
        if (values or {}).get("proposal_id") == proposal_id:
            built.append(endpoint)
        return build(adapter, endpoint, values, *args, **kwargs)

    monkeypatch.setattr(MapAdapter, "build", counting)
    body = client.get(f"/programmes/runs/{proposal.run_id}/review", headers=HX).get_data(
        as_text=True
    )
    # Why?, approve, pin and reject: each link or form (href/action and its hx-*) from one URL.
    actions = ("proposal", "approve", "pin", "reject")
    assert sorted(built) == sorted(f"programmes.{action}" for action in actions)
    for action in actions[1:]:
        url = f"/programmes/proposals/{proposal_id}/{action}"
        assert f'action="{url}"' in body and f'hx-post="{url}"' in body


def test_the_review_list_translates_its_rows_fixed_words_once(world, client, monkeypatch):
    for name in ("Rosa", "Sam"):
        factories.make_mentor(world.school, capacity=1, first_name=name)
    for name in ("Lina", "Omar"):
        factories.make_student(world.school, first_name=name)
    run = run_now(world.programme, world.counselor)
    assert len(proposals_of(run)) == 2
    asked: list[str] = []

    class Counting(dict):
        def get(self, key, default=None):
            asked.append(key[1])
            return super().get(key, default)

    monkeypatch.setattr(i18n, "_TRANSLATED", Counting())
    body = client.get(f"/programmes/runs/{run.id}/review").get_data(as_text=True)
    assert body.count(">Approve<") == 2 and body.count(">Reject<") == 2
    assert asked.count("Approve") == 1 and asked.count("Reject") == 1 and asked.count("Why?") == 1


def test_another_counselor_cannot_see_or_decide(app, client, auth):
    world = ProgrammeWorld.new()
    proposal = _one_proposal(world)
    auth.login_as(factories.make_counselor(factories.make_school()))
    assert client.get(f"/programmes/runs/{proposal.run_id}/review").status_code == 404
    assert client.get(f"/programmes/proposals/{proposal.id}").status_code == 404
    assert client.post(f"/programmes/proposals/{proposal.id}/approve").status_code == 404
    assert proposal.status == ProposalStatus.PROPOSED


def test_review_page_query_count_does_not_grow(world, client, app):
    from sqlalchemy import event

    factories.make_mentor(world.school, capacity=2)
    for _ in range(3):
        factories.make_student(world.school)
    small = run_now(world.programme, world.counselor)
    factories.make_mentor(world.school, capacity=5)
    for _ in range(8):
        factories.make_student(world.school)
    large = run_now(world.programme, world.counselor)
    counts = []
    run_ids = [small.id, large.id]
    db.session.commit()
    for run_id in run_ids:
        seen: list[str] = []

        def listener(_conn, _cursor, statement, *_args, seen=seen, **_kw):
            seen.append(statement)

        event.listen(db.engine, "before_cursor_execute", listener)
        client.get(f"/programmes/runs/{run_id}/review")
        event.remove(db.engine, "before_cursor_execute", listener)
        counts.append(seen)
    assert len(proposals_of(large)) > len(proposals_of(small))
    assert len(counts[0]) == len(counts[1]), "\n---\n".join(counts[1])


def test_programme_requires_training_and_keeps_goal_templates(world, client):
    data = _form(
        world.school.id, requires_training="y", goal_templates="Build a robot\r\n\r\nVisit a lab"
    )
    assert client.post("/programmes/new", data=data).status_code == 303
    programme = db.session.scalar(db.select(Programme).where(Programme.name == "Spring mentoring"))
    assert programme.requires_training is True
    assert programme.goal_templates == ["Build a robot", "Visit a lab"]
    page = client.get(f"/programmes/{programme.id}/edit").get_data(as_text=True)
    assert "Build a robot\nVisit a lab</textarea>" in page
    too_many = _form(world.school.id, name="Other", goal_templates="\n".join("abcdefghi"))
    assert client.post("/programmes/new", data=too_many).status_code == 422
    assert db.session.scalar(db.select(Programme).where(Programme.name == "Other")) is None


def test_a_superseded_run_is_marked_and_its_proposals_cannot_be_approved(world, client):
    proposal = _one_proposal(world)
    newer = run_now(world.programme)
    page = client.get(f"/programmes/runs/{proposal.run_id}/review").get_data(as_text=True)
    assert "superseded" in page and f"/programmes/runs/{newer.id}/review" in page
    assert f"/programmes/proposals/{proposal.id}/approve" not in page
    response = client.post(f"/programmes/proposals/{proposal.id}/approve", headers=HX)
    assert "newer run" in response.get_data(as_text=True)
    db.session.refresh(proposal)
    assert proposal.status == ProposalStatus.PROPOSED


def test_the_support_schedule_is_edited_on_the_programme_form(world, client):
    url = f"/programmes/{world.programme.id}/edit"
    assert 'name="support_first_month"' in client.get(url).get_data(as_text=True)
    bad = client.post(url, data=_form(world.school.id, support_first_month="9"), headers=HX)
    assert bad.status_code == 422 and "between 0 and 6" in bad.get_data(as_text=True)
    db.session.refresh(world.programme)
    assert world.programme.support_schedule == {}
    data = _form(world.school.id, support_first_month="1", support_then_days="14")
    assert client.post(url, data=data).status_code == 303
    db.session.refresh(world.programme)
    assert world.programme.support_schedule == {"first_month": 1, "then_days": 14}
