"""Shared form pieces: the fields and validators every form uses."""
