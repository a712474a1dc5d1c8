"""THE access matrix: every endpoint × role × own / another's object → expected outcome.

``tests/security/test_access.py`` fails when an endpoint of ``app.url_map`` has no row here
(or a row names an endpoint that no longer exists), and when any request gets another outcome
than its row says. Outcomes:

    A  allowed (2xx, a redirect that is not to the login page, or 422 for an empty form)
    F  403 (logged in with the wrong role)
    N  404 (not found, or another school's / another user's object)
    L  redirect to the login page (anonymous)

HOW TO ADD A ROW (one line per endpoint):

1. Pick a helper, or spell out every role with ``row(...)``::

       "programmes.review": staff(),                    # counselor own A / other school N, admin A
       "main.student_home": only("student"),            # that role A, other roles F, anonymous L
       "relationships.match": row(anonymous=L, student=(A, N), mentor=(A, N),
                                  organisation=(A, N), counselor=(A, N), admin=A),

   A single value applies to both cases; a pair is (own object, another's object).
2. URL parameters are filled from the two-school world of ``tests/security/world.py``:
   "own" is school A's object linked to the caller (their profile, their mentee, their
   school's programme...), "another's" is school B's (or, for a student-kind parameter
   seen by a student or partner, another student of the same school). ``PARAM_KINDS``
   maps a parameter name (``student_id``) to a kind; add a name there if you use a new one,
   or name the kind per row: ``staff(params={"id": "programme"})``.
3. GET is tried when the rule has GET; otherwise POST with an empty body (CSRF off).
"""

from __future__ import annotations

from dataclasses import dataclass, field

A, F, N, L = "allowed", "403", "404", "login"
Outcome = str | tuple[str, str]
ROLES = ("anonymous", "student", "mentor", "organisation", "counselor", "admin")

# URL parameter name → kind of object in the world (see world.py's ``ids``).
PARAM_KINDS = {
    "student_id": "student",
    "mentor_id": "mentor",
    "organisation_id": "organisation",
    "org_id": "organisation",
    "project_id": "project",
    "programme_id": "programme",
    "run_id": "run",
    "proposal_id": "proposal",
    "match_id": "match",
    "concern_id": "concern",
    "school_id": "school",
    "check_in_id": "check_in",
    "checkin_id": "check_in",
    "tag_id": "tag",
    "counselor_id": "counselor",
    "user_id": "user",
    "partner_id": "user",
    "filename": "static",
    "survey_id": "survey",
    "import_id": "student_import",
}


@dataclass(frozen=True)
class Row:
    """Expected outcome per role (own, another's) and how to fill the URL parameters."""

    expect: dict[str, tuple[str, str]]
    params: dict[str, str] = field(default_factory=dict)


def row(params: dict[str, str] | None = None, **outcomes: Outcome) -> Row:
    """Every role spelled out; a single outcome means the same for own and another's."""
    missing = set(ROLES) - set(outcomes)
    assert not missing, f"row() needs every role; missing {sorted(missing)}"
    pairs = {r: (o, o) if isinstance(o, str) else o for r, o in outcomes.items()}
    return Row(pairs, params or {})


def public(params: dict[str, str] | None = None, outcome: Outcome = A) -> Row:
    """Everyone, logged in or not."""
    return row(params, **dict.fromkeys(ROLES, outcome))


def logged_in(params: dict[str, str] | None = None) -> Row:
    """Any logged-in user."""
    return row(params, anonymous=L, **dict.fromkeys(ROLES[1:], A))


def only(*roles: str, own: str = A, other: str = N, params: dict[str, str] | None = None) -> Row:
    """Only ``roles`` (own object allowed, another's 404); everyone else 403, anonymous L."""
    outcomes: dict[str, Outcome] = {r: ((own, other) if r in roles else F) for r in ROLES[1:]}
    return row(params, anonymous=L, **outcomes)


def staff(params: dict[str, str] | None = None) -> Row:
    """Counselors of the object's school and admins; partners and students 403."""
    return row(params, anonymous=L, student=F, mentor=F, organisation=F, counselor=(A, N), admin=A)


def admin_only(params: dict[str, str] | None = None) -> Row:
    """Administrators only (they see every school)."""
    return row(params, anonymous=L, student=F, mentor=F, organisation=F, counselor=F, admin=A)


PARTNER = {"kind": "partner_kind", "partner_id": "mentor"}

ACCESS: dict[str, Row] = {
    "static": public(),
    # main
    "main.index": public(),
    "main.home": logged_in(),
    "main.student_home": only("student"),
    "main.mentor_home": only("mentor"),
    "main.organisation_home": only("organisation"),
    "main.health": public(),
    # auth
    "auth.login": public(),
    "auth.logout": logged_in(),
    "auth.request_reset": public(),
    "auth.reset_password": public(params={"token": "reset_token"}, outcome=(A, N)),
    "auth.change_password": logged_in(),
    "auth.change_language": logged_in(),
    # safeguarding
    "safeguarding.consent": public(params={"token": "consent_token"}),
    "safeguarding.consent_done": public(),
    "safeguarding.report_concern": only("student", "mentor", "organisation"),
    "safeguarding.concern_list": staff(),
    "safeguarding.concern": staff(),
    "safeguarding.student_consent": staff(),
    "safeguarding.student_export": staff(),
    "safeguarding.student_export_json": staff(),
    "safeguarding.student_erase": staff(),
    "safeguarding.audit_trail": staff(),
    # reports (a list's export is of the caller's own schools: there is no "another's")
    "reports.export": row(
        {"kind": "export_kind"},
        anonymous=L,
        student=F,
        mentor=F,
        organisation=F,
        counselor=A,
        admin=A,
    ),
    "reports.export_proposals": staff(),
    "reports.programme_outcomes": staff(),
    "reports.school_outcomes": staff(),
    # admin
    "admin.dashboard": admin_only(),
    "admin.schools": admin_only(),
    "admin.create_school": admin_only(),
    "admin.update_school": admin_only(),
    "admin.regenerate_join_code": admin_only(),
    "admin.outbox": admin_only(),
    "admin.retry_message": admin_only({"message_id": "outbox_message"}),
    "admin.counselors": admin_only(),
    "admin.invite_counselor": admin_only(),
    "admin.counselor": admin_only({"user_id": "counselor"}),
    "admin.update_counselor_schools": admin_only({"user_id": "counselor"}),
    "admin.deactivate_counselor": admin_only({"user_id": "counselor"}),
    "admin.reactivate_counselor": admin_only({"user_id": "counselor"}),
    "admin.tags": admin_only(),
    "admin.add_tag": admin_only(),
    "admin.rename_tag": admin_only(),
    # counselor
    "counselor.dashboard": staff(),
    "counselor.partners": staff(),
    "counselor.import_students": staff(),
    "counselor.student_import": staff(),
    "counselor.import_columns": staff(),
    "counselor.import_progress": staff(),
    "counselor.start_import": staff(),
    "counselor.add_student": staff(),
    "counselor.invite_partners": staff(),
    "counselor.partner": staff(PARTNER),
    "counselor.record_training": staff(),
    "counselor.celebrations": staff(),
    "counselor.certificate": staff(PARTNER),
    "counselor.record_check": staff(PARTNER),
    "counselor.approve": staff(PARTNER),
    "counselor.decline": staff(PARTNER),
    "counselor.students": staff(),
    "counselor.student": staff(),
    "counselor.edit_student": staff(),
    # programmes, runs, review
    "programmes.index": staff(),
    "programmes.create": staff(),
    "programmes.show": staff(),
    "programmes.update": staff(),
    "programmes.start_run": staff(),
    "programmes.run": staff(),
    "programmes.review": staff(),
    "programmes.proposal": staff(),
    "programmes.approve": staff(),
    "programmes.reject": staff(),
    "programmes.pin": staff(),
    "programmes.swap": staff(),
    "programmes.approve_above": staff(),
    # sign-up, profiles, projects
    "signup.student": public(),
    "signup.mentor": public(),
    "signup.organisation": public(),
    "signup.sent": public(),
    "signup.confirm": public(params={"token": "confirm_token"}, outcome=(A, N)),
    "signup.student_profile": only("student"),
    "signup.mentor_profile": only("mentor"),
    "signup.organisation_profile": only("organisation"),
    "signup.project_new": only("organisation"),
    "signup.project_edit": only("organisation"),
    "signup.project_close": only("organisation"),
    "signup.tag_search": logged_in(),
    # relationships
    "relationships.student_page": only("student"),
    "relationships.mentor_page": only("mentor"),
    "relationships.organisation_page": only("organisation"),
    "relationships.log_meeting": only("mentor"),
    "relationships.feedback": only("student"),
    "relationships.match_page": staff(),
    "relationships.end": staff(),
    "relationships.agree_as_staff": staff(),
    "relationships.agree_as_mentor": only("mentor"),
    "relationships.student_goal": only("student"),
    "relationships.mentor_goal": only("mentor"),
    "relationships.confirm_meeting": only("student"),
    "relationships.student_fit": only("student"),
    "relationships.mentor_fit": only("mentor"),
    "relationships.index": staff(),
    "relationships.log_support": staff(),
    "relationships.pause": staff(),
    "relationships.resume": staff(),
    "relationships.exit_survey_link": public(params={"token": "survey_token"}, outcome=(A, N)),
    "relationships.exit_survey": only("student", "mentor", "organisation"),
    "relationships.survey_done": public(),
}
