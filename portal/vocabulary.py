"""The shared vocabulary: tags (admin-managed, in the database), slots, languages, areas."""

from __future__ import annotations

from portal.extensions import db
from portal.models import Tag

DAYS = (
    ("mon", "Monday"),
    ("tue", "Tuesday"),
    ("wed", "Wednesday"),
    ("thu", "Thursday"),
    ("fri", "Friday"),
    ("sat", "Saturday"),
    ("sun", "Sunday"),
)
PARTS = (("am", "Morning"), ("pm", "Afternoon"), ("eve", "Evening"))
SLOTS = tuple(f"{day}-{part}" for day, _ in DAYS for part, _ in PARTS)
GRADES = tuple(range(6, 13))

LANGUAGES = {
    "en": "English",
    "es": "Spanish",
    "ar": "Arabic",
    "zh": "Chinese",
    "fr": "French",
    "vi": "Vietnamese",
    "pt": "Portuguese",
    "so": "Somali",
    "uk": "Ukrainian",
    "hi": "Hindi",
}
AREAS = {"north": "North", "south": "South", "east": "East", "west": "West", "central": "Central"}

DEFAULT_TAGS: dict[str, tuple[str, ...]] = {
    "interest": (
        "robotics",
        "coding",
        "music",
        "art",
        "photography",
        "writing",
        "reading",
        "sports",
        "basketball",
        "soccer",
        "chess",
        "gaming",
        "cooking",
        "gardening",
        "animals",
        "nature",
        "space",
        "chemistry",
        "biology",
        "history",
        "politics",
        "film",
        "fashion",
        "design",
        "theatre",
        "dance",
        "debate",
        "entrepreneurship",
        "volunteering",
        "languages",
        "mathematics",
        "electronics",
        "cars",
        "travel",
        "health",
        "fitness",
    ),
    "field": (
        "engineering",
        "software",
        "medicine",
        "nursing",
        "law",
        "business",
        "finance",
        "teaching",
        "science",
        "arts",
        "media",
        "trades",
        "public-service",
        "social-work",
        "architecture",
        "agriculture",
        "hospitality",
        "military",
        "sports-careers",
        "research",
    ),
    "skill": (
        "coding",
        "carpentry",
        "gardening",
        "event-planning",
        "graphic-design",
        "writing",
        "photography",
        "tutoring",
        "cooking",
        "data-analysis",
        "marketing",
        "video",
        "public-speaking",
        "research",
        "first-aid",
        "customer-service",
    ),
}


def slot_label(slot: str) -> str:
    """``tue-pm`` → ``Tuesday afternoon``."""
    day, _, part = slot.partition("-")
    return f"{dict(DAYS).get(day, day)} {dict(PARTS).get(part, part).lower()}"


def language_names(codes: list[str] | None) -> str:
    """``["es", "ar"]`` → ``Spanish, Arabic`` (an unknown code shows as itself); ``—`` if none."""
    return ", ".join(LANGUAGES.get(code, code) for code in codes or []) or "—"


def area_name(code: str | None) -> str:
    """``central`` → ``Central``; ``—`` when there is none."""
    return AREAS.get(code, code) if code else "—"


def tag_slugs(kind: str) -> list[str]:
    """The slugs of one kind of tag, sorted."""
    return list(db.session.scalars(db.select(Tag.slug).where(Tag.kind == kind).order_by(Tag.slug)))


def tag_choices(kind: str) -> list[tuple[str, str]]:
    """``(slug, label)`` pairs of one kind of tag, for form choices."""
    rows = db.session.execute(
        db.select(Tag.slug, Tag.label).where(Tag.kind == kind).order_by(Tag.label)
    ).all()
    return [(slug, label) for slug, label in rows]


def ensure_default_vocabulary() -> int:
    """Insert the default tags that are missing; return how many were added."""
    existing = {(kind, slug) for kind, slug in db.session.execute(db.select(Tag.kind, Tag.slug))}
    added = 0
    for kind, slugs in DEFAULT_TAGS.items():
        for slug in slugs:
            if (kind, slug) not in existing:
                db.session.add(Tag(kind=kind, slug=slug, label=slug.replace("-", " ").capitalize()))
                added += 1
    db.session.commit()
    return added
