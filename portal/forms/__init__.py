"""Shared form pieces: validators every form uses."""
