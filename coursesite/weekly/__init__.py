"""What each person owes and when: a student's This week, reminders before their own deadlines, and the
weekly digest that tells staff what needs them. The pages are the `week` blueprint's."""
