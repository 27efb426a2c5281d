"""The demo course: people, assignments, essays, comments and grades that make every state show."""
