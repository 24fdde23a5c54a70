"""Rasa store classes for the production profile (referenced by type in endpoints.production.yml)."""
