"""Discussion: the rules for comments, the thread under an essay, and moderation."""
