"""This week: the page a student lands on (one course, or all of theirs); what it shows is worked out in
coursesite/weekly/."""
