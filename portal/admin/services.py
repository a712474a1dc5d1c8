"""State changes of the admin area: schools, counselors, the tag vocabulary.

Each function takes plain arguments, commits once and writes its audit event.
"""

from __future__ import annotations

import secrets

from portal import audit, mail
from portal.auth import services as accounts
from portal.extensions import db
from portal.models import OutboxMessage, Role, School, Tag, User

# No 0/O or 1/I/L: join codes are read aloud and copied from paper.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 8


def new_join_code() -> str:
    """A random join code no school uses yet."""
    while True:
        code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
        if db.session.scalar(db.select(School.id).where(School.join_code == code)) is None:
            return code


def create_school(admin: User, name: str, area: str) -> School:
    """Create a school with a fresh join code."""
    school = School(name=name, area=area, join_code=new_join_code())
    db.session.add(school)
    db.session.flush()
    audit.record_about(school, "school.created", actor=admin, detail={"name": name})
    db.session.commit()
    return school


def update_school(admin: User, school: School, name: str, area: str) -> None:
    """Rename a school or change its area."""
    school.name = name
    school.area = area
    audit.record_about(school, "school.updated", actor=admin, detail={"name": name, "area": area})
    db.session.commit()


def regenerate_join_code(admin: User, school: School) -> str:
    """Replace a school's join code (the old one stops working at once)."""
    school.join_code = new_join_code()
    audit.record_about(school, "school.join_code_regenerated", actor=admin)
    db.session.commit()
    return school.join_code


def invite_counselor(admin: User, email: str, name: str, school_ids: list[int]) -> User:
    """Create a counselor of ``school_ids`` and email them an invitation."""
    return accounts.invite_counselor(admin, email, name, _schools(school_ids))


def set_counselor_schools(admin: User, counselor: User, school_ids: list[int]) -> None:
    """Bind ``counselor`` to exactly ``school_ids``."""
    before = sorted(counselor.school_ids)
    counselor.schools = _schools(school_ids)
    detail = {"before": before, "after": sorted(school_ids)}
    audit.record_about(counselor, "counselor.schools_changed", actor=admin, detail=detail)
    db.session.commit()


def set_counselor_active(admin: User, counselor: User, active: bool) -> None:
    """Deactivate (and log out everywhere) or reactivate a counselor."""
    if counselor.role != Role.COUNSELOR:
        raise ValueError("only counselors are managed here")
    counselor.active = active
    if not active:
        counselor.session_version += 1
    action = "counselor.reactivated" if active else "counselor.deactivated"
    audit.record_about(counselor, action, actor=admin)
    db.session.commit()


def add_tag(admin: User, kind: str, slug: str, label: str) -> Tag:
    """Add a vocabulary entry."""
    tag = Tag(kind=kind, slug=slug, label=label)
    db.session.add(tag)
    db.session.flush()
    audit.record_about(tag, "tag.added", actor=admin, detail={"kind": kind, "slug": slug})
    db.session.commit()
    return tag


def rename_tag(admin: User, tag: Tag, label: str) -> None:
    """Change the label shown for a tag (its slug, stored in profiles, stays)."""
    detail = {"before": tag.label, "after": label}
    tag.label = label
    audit.record_about(tag, "tag.renamed", actor=admin, detail=detail)
    db.session.commit()


def retry_message(admin: User, message: OutboxMessage) -> bool:
    """Send a failed email again (a fresh set of attempts); False if it had not failed."""
    if not mail.requeue(message):
        return False
    audit.record_about(message, "outbox.retried", actor=admin, detail={"to": message.to})
    db.session.commit()
    return True


def _schools(school_ids: list[int]) -> list[School]:
    if not school_ids:
        return []
    return list(db.session.scalars(db.select(School).where(School.id.in_(school_ids))))


def record_outbox_view(admin: User, message_ids: list[int]) -> None:
    """Audit that ``admin`` read these outbox messages (they may name students); commit."""
    audit.record("outbox.view", actor=admin, object_type="outbox", detail={"ids": message_ids})
    db.session.commit()
