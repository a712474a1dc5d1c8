"""Issue #15 item 1: axe-core finds no WCAG 2.2 A/AA violation on any page, as any role.

The pages come from the app's url_map: every GET endpoint is visited as every role that
tests/security/access_table.py allows on its own object (public pages once, anonymously),
with the two-school world of tests/security/world.py filling the URL parameters. An endpoint
that is neither visited nor listed in ``EXCLUDED`` with a reason fails the suite, so a new
page without an axe check fails it too.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from flask import Flask

from portal.extensions import db
from tests import factories
from tests.security.access_table import ACCESS, ROLES, A
from tests.security.harness import rules, url_for_rule
from tests.security.world import TwoSchoolWorld

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Endpoints that render no page of their own: nothing for axe to check.
EXCLUDED = {
    "static": "CSS, JavaScript and images, no page",
    "main.health": "a JSON health check for the load balancer",
    "safeguarding.student_export_json": "a JSON download",
    "signup.tag_search": "an htmx fragment of suggestions, checked inside the profile forms",
    "reports.export": "a CSV or .xlsx download",
    "reports.export_proposals": "a CSV or .xlsx download",
}


def _pages(app: Flask, world: TwoSchoolWorld) -> dict[str, list[tuple[str, str]]]:
    """role → [(endpoint, url)]: every GET page the role sees; public pages anonymously."""
    pages: dict[str, list[tuple[str, str]]] = {role: [] for role in ROLES}
    for rule in rules(app):
        if "GET" not in (rule.methods or ()) or rule.endpoint in EXCLUDED:
            continue
        allowed = [r for r in ROLES if ACCESS[rule.endpoint].expect[r][0] == A]
        for role in ["anonymous"] if "anonymous" in allowed else allowed:
            pages[role].append((rule.endpoint, url_for_rule(app, world, rule, role, "own")))
    return pages


def _violations(page: Any, url: str) -> list[str]:
    response = page.goto(url)
    assert response is not None and response.status < 400, f"{url}: {response and response.status}"
    assert "text/html" in response.headers.get("content-type", ""), f"{url} is not a page"
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    return _heading_problems(page, url) + [
        f"{url} → {page.url}: {v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(str(n["target"]) for n in v["nodes"][:3])
        for v in result.response["violations"]
    ]


HEADINGS = """() => [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')]
    .map(h => [Number(h.tagName[1]), h.textContent.trim()])"""


def _heading_problems(page: Any, url: str) -> list[str]:
    """One h1 per page, and no heading level skipped (h2 then h4)."""
    headings = page.evaluate(HEADINGS)
    problems = []
    if sum(level == 1 for level, _ in headings) != 1:
        problems.append(f"{url}: {sum(lv == 1 for lv, _ in headings)} h1 headings, not one")
    for (before, _), (level, text) in pairwise(headings):
        if level > before + 1:
            problems.append(f"{url}: heading order skips from h{before} to h{level} ({text!r})")
    return problems


def test_every_page_for_every_role_has_no_axe_violation(
    browser: Any, live_app: Flask, live_server: Any
) -> None:
    world = TwoSchoolWorld.new()
    world.approve()
    pages = _pages(live_app, world)
    emails = {role: (u.email if (u := world.user(role)) else None) for role in ROLES}
    db.session.commit()  # plain values only from here: the test holds no SQLite lock
    visited = {endpoint for role_pages in pages.values() for endpoint, _ in role_pages}
    get_endpoints = {r.endpoint for r in rules(live_app) if "GET" in (r.methods or ())}
    unchecked = sorted(get_endpoints - visited - set(EXCLUDED))
    assert not unchecked, f"pages without an axe check (visit or exclude them): {unchecked}"
    problems: list[str] = []
    for role in ROLES:
        context = browser.new_context()
        page = context.new_page()
        if emails[role]:
            page.goto(live_server.url("/login"))
            page.get_by_label("Email").fill(emails[role])
            page.get_by_label("Password", exact=True).fill(factories.PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_url(lambda url: "/login" not in url)
        for _endpoint, path in pages[role]:
            problems += [f"{role}: {p}" for p in _violations(page, live_server.url(path))]
        context.close()
    assert not problems, "\n".join(problems)


def test_printing_shows_content_without_navigation_or_forms(
    browser: Any, live_app: Flask, live_server: Any
) -> None:
    world = TwoSchoolWorld.new()
    world.approve()
    a = world.a
    paths = [
        f"/programmes/runs/{a.run.id}/review",
        f"/matches/{a.match.id if a.match else 0}",
        f"/safeguarding/students/{a.student.id}/export",
        f"/counselor/partners/mentor/{a.mentor.id}/certificate",
    ]
    email = a.counselor.email
    db.session.commit()
    context = browser.new_context()
    page = context.new_page()
    page.goto(live_server.url("/login"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login" not in url)
    page.emulate_media(media="print")
    for path in paths:
        page.goto(live_server.url(path))
        assert page.locator("h1").first.is_visible(), path
        for selector in ("nav", "form", "button", "input", "select"):
            visible = [el for el in page.locator(selector).all() if el.is_visible()]
            assert not visible, f"{path}: a {selector} prints"
    context.close()
