"""Grading: score rules, rubrics, saving and releasing grades, reports and gradebook files."""
