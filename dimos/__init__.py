"""Dimos: the open-source smart-municipality platform."""
