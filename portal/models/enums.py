"""The closed vocabularies of the data model."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    STUDENT = "student"
    MENTOR = "mentor"
    ORGANISATION = "organisation"
    COUNSELOR = "counselor"
    ADMIN = "admin"


# The staff roles, in the order views declare them: ``@policy.allow(*STAFF)``.
STAFF = (Role.COUNSELOR, Role.ADMIN)
STAFF_ROLES = frozenset(STAFF)
PARTNER_ROLES = frozenset({Role.MENTOR, Role.ORGANISATION})


class Modality(enum.StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    EITHER = "either"


class Verification(enum.StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    DECLINED = "declined"


class ConsentStatus(enum.StrEnum):
    NOT_NEEDED = "not_needed"  # adults
    AWAITING = "awaiting"
    GIVEN = "given"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


class CheckKind(enum.StrEnum):
    CRIMINAL_RECORD = "criminal_record"
    FINGERPRINT = "fingerprint"
    CHILD_PROTECTION_REGISTER = "child_protection_register"
    REFERENCES = "references"


class ProgrammeKind(enum.StrEnum):
    MENTORING = "mentoring"
    PROJECTS = "projects"
    BOTH = "both"


class RunStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class ProposalStatus(enum.StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"


class MatchStatus(enum.StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    ENDED = "ended"


class PartnerKind(enum.StrEnum):
    """The partner side of a pair: a mentor or a project (``Match.kind``, ``Proposal.kind``)."""

    MENTOR = "mentor"
    PROJECT = "project"


class PairRuleKind(enum.StrEnum):
    PIN = "pin"
    FORBID = "forbid"


class CheckInKind(enum.StrEnum):
    MEETING = "meeting"
    FEEDBACK = "feedback"


class ConcernStatus(enum.StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"
