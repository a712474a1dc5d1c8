"""The data model. Import models from here."""

from portal.models.accounts import School, Tag, User, counselor_schools
from portal.models.base import Base, utcnow
from portal.models.enums import (
    PARTNER_ROLES,
    STAFF_ROLES,
    CheckInKind,
    CheckKind,
    ConcernStatus,
    ConsentStatus,
    MatchStatus,
    Modality,
    PairRuleKind,
    ProgrammeKind,
    ProposalStatus,
    Role,
    RunStatus,
    Verification,
)
from portal.models.profiles import (
    BackgroundCheck,
    Consent,
    MentorProfile,
    Organisation,
    Project,
    StudentProfile,
)
from portal.models.programmes import CheckIn, Match, MatchRun, PairRule, Programme, Proposal
from portal.models.records import AuditEvent, Concern, OutboxMessage
from portal.models.support import ExitSurvey, SupportContact

__all__ = [
    "PARTNER_ROLES",
    "STAFF_ROLES",
    "AuditEvent",
    "BackgroundCheck",
    "Base",
    "CheckIn",
    "CheckInKind",
    "CheckKind",
    "Concern",
    "ConcernStatus",
    "Consent",
    "ConsentStatus",
    "ExitSurvey",
    "Match",
    "MatchRun",
    "MatchStatus",
    "MentorProfile",
    "Modality",
    "Organisation",
    "OutboxMessage",
    "PairRule",
    "PairRuleKind",
    "Programme",
    "ProgrammeKind",
    "Project",
    "Proposal",
    "ProposalStatus",
    "Role",
    "RunStatus",
    "School",
    "StudentProfile",
    "SupportContact",
    "Tag",
    "User",
    "Verification",
    "counselor_schools",
    "utcnow",
]
