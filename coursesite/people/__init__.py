"""People: accounts, names and pseudonyms, invitations, signed links and roster files."""
