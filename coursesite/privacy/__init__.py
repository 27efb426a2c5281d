"""Each person's own data: the download of everything of theirs, anonymising an account, the privacy page."""
