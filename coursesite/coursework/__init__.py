"""Coursework: courses, sections and assignments."""
