"""Mentorbridge's matcher: pure Python on numpy and scipy (see ``docs/matching-format.md``)."""
