"""The rules, request-free: views call these, and commit once."""
