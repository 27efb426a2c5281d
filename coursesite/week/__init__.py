"""This week: what a student owes (by their own deadlines), reminders before those deadlines, and the
weekly digest that tells staff what needs them."""
