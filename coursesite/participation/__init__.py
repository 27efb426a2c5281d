"""Participation counted in SQL: one set-based statement per question, held equal to participation/rules.py."""
