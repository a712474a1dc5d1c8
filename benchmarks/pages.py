"""The pages the load benchmark measures, and the GET pages it leaves out (with why).

``PAGES`` is every GET page a counselor, student, mentor or organisation opens in a day;
``EXCLUDED`` names every other GET endpoint those roles may open, with the reason.
``unmeasured(app)`` derives the pages to cover from the app's ``url_map`` and the access
table (``tests/security/access_table.py``): a new page that is in neither list is printed by
``load.py`` and fails ``tests/benchmarks/test_pages.py``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ROLES = ("counselor", "student", "mentor", "organisation")


@dataclass(frozen=True)
class Page:
    """One measured page: who opens it, its endpoint, its URL arguments and query string.

    ``ids`` are URL arguments filled from the seed's ids of the same name; ``fixed`` are
    literal arguments. A ``staff`` page is measured as the one-school counselor and, with
    ``--admin``, as the district admin.
    """

    name: str
    role: str
    endpoint: str
    ids: tuple[str, ...] = ()
    fixed: dict[str, str] = field(default_factory=dict)
    query: str = ""

    @property
    def staff(self) -> bool:
        """A counselor page (the idle target of 4x the login page applies)."""
        return self.role == "counselor"


def _staff(name: str, endpoint: str, *ids: str, query: str = "", **fixed: str) -> Page:
    return Page(name, "counselor", endpoint, ids, fixed, query)


ANCHOR = Page("login page (anchor)", "anonymous", "auth.login")
PAGES = [
    ANCHOR,
    _staff("counselor dashboard", "counselor.dashboard"),
    _staff("students list", "counselor.students"),
    _staff("students search", "counselor.students", query="q=garcia"),
    _staff("student page", "counselor.student", "student_id"),
    _staff("edit student", "counselor.edit_student", "student_id"),
    _staff("student consent", "safeguarding.student_consent", "student_id"),
    _staff("erase student (confirm)", "safeguarding.student_erase", "student_id"),
    _staff("add student", "counselor.add_student"),
    _staff("partners list", "counselor.partners"),
    _staff("partner page", "counselor.partner", "partner_id", kind="mentor"),
    _staff("partner certificate", "counselor.certificate", "partner_id", kind="mentor"),
    _staff("partner invitations", "counselor.invite_partners"),
    _staff("programmes", "programmes.index"),
    _staff("programme", "programmes.show", "programme_id"),
    _staff("edit programme", "programmes.update", "programme_id"),
    _staff("new programme", "programmes.create"),
    _staff("run", "programmes.run", "run_id"),
    _staff("run review", "programmes.review", "run_id"),
    _staff("proposal explanation", "programmes.proposal", "proposal_id"),
    _staff("relationships", "relationships.index"),
    _staff("relationships: quiet", "relationships.index", query="flag=quiet"),
    _staff("relationships: support due", "relationships.index", query="flag=support_due"),
    _staff("relationships: by last meeting", "relationships.index", query="sort=last_meeting"),
    _staff("match page", "relationships.match_page", "match_id"),
    _staff("celebrations", "counselor.celebrations"),
    _staff("outcome report (programme)", "reports.programme_outcomes", "programme_id"),
    _staff("outcome report (school)", "reports.school_outcomes", "school_id"),
    _staff("concerns", "safeguarding.concern_list"),
    _staff("concern", "safeguarding.concern", "concern_id"),
    _staff("imports", "counselor.import_students"),
    _staff("an import", "counselor.student_import", "import_id"),
    _staff("audit trail", "safeguarding.audit_trail"),
    Page("student home", "student", "main.student_home"),
    Page("student: my matches", "student", "relationships.student_page"),
    Page("student profile", "student", "signup.student_profile"),
    Page("student: report a concern", "student", "safeguarding.report_concern"),
    Page("tag suggestions", "student", "signup.tag_search", query="kind=interest&q=ar"),
    Page("mentor home", "mentor", "main.mentor_home"),
    Page("mentor: mentees", "mentor", "relationships.mentor_page"),
    Page("mentor profile", "mentor", "signup.mentor_profile"),
    Page("mentor: exit survey", "mentor", "relationships.exit_survey", ("survey_id",)),
    Page("organisation home", "organisation", "main.organisation_home"),
    Page("organisation: rosters", "organisation", "relationships.organisation_page"),
    Page("organisation profile", "organisation", "signup.organisation_profile"),
    Page("organisation: project", "organisation", "signup.project_edit", ("project_id",)),
    Page("organisation: new project", "organisation", "signup.project_new"),
]

PUBLIC = "a public page for people not logged in (the login page is the anchor)"
DOWNLOAD = "a file download, not a page"
EXCLUDED = {
    "static": "static files (served by the web server in production)",
    "main.health": "the load balancer's health check",
    "main.index": PUBLIC,
    "main.home": "redirects to the role's home page (measured)",
    "auth.request_reset": PUBLIC,
    "auth.reset_password": PUBLIC,
    "auth.change_password": "the account's password form: no data, the same for every role",
    "signup.student": PUBLIC,
    "signup.mentor": PUBLIC,
    "signup.organisation": PUBLIC,
    "signup.sent": PUBLIC,
    "signup.confirm": PUBLIC,
    "safeguarding.consent": PUBLIC,
    "safeguarding.consent_done": PUBLIC,
    "relationships.exit_survey_link": PUBLIC,
    "relationships.survey_done": PUBLIC,
    "reports.export": DOWNLOAD,
    "reports.export_proposals": DOWNLOAD,
    "safeguarding.student_export": DOWNLOAD,
    "safeguarding.student_export_json": DOWNLOAD,
    "counselor.import_columns": "a step of an upload in progress (the seed's import is done)",
    "counselor.import_progress": "polled while an upload runs (the seed's import is done)",
}


def to_cover(app: Any) -> set[str]:
    """GET endpoints that a counselor, student, mentor or organisation may open (own object)."""
    from tests.security.access_table import ACCESS, A

    found = set()
    for rule in app.url_map.iter_rules():
        row = ACCESS.get(rule.endpoint)
        allowed = row is not None and any(row.expect[role][0] == A for role in ROLES)
        if allowed and "GET" in (rule.methods or ()):
            found.add(rule.endpoint)
    return found


def unmeasured(app: Any) -> dict[str, str]:
    """Every page to cover that is not measured: endpoint → why (or "NOT MEASURED")."""
    measured = {page.endpoint for page in PAGES}
    return {
        endpoint: EXCLUDED.get(endpoint, "NOT MEASURED: add it to benchmarks/pages.py")
        for endpoint in sorted(to_cover(app) - measured)
    }


def resolve(app: Any, ids: dict[str, Any]) -> dict[str, str]:
    """Each page's path (with its query string), from the seed's ids; pages that need an id
    the seed did not give are left out."""
    from flask import url_for

    paths = {}
    with app.test_request_context():
        for page in PAGES:
            values: dict[str, Any] = {name: ids.get(name) for name in page.ids}
            if None in values.values() or page.endpoint not in app.view_functions:
                continue
            path = url_for(page.endpoint, **(values | page.fixed))
            paths[page.name] = path + (f"?{page.query}" if page.query else "")
    return paths


def csrf_token(html: str) -> str:
    """The CSRF token of a page (the login form's hidden field or the htmx headers)."""
    import re

    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    found = found or re.search(r'"X-CSRFToken": "([^"]+)"', html)
    return found.group(1) if found else ""


def roles_of(page: Page, admin: bool) -> list[str]:
    """Who the page is measured as: a staff page also as the district admin with ``admin``."""
    return [page.role, "admin"] if page.staff and admin else [page.role]
