"""Essays: writing, what readers may see, revisions, categories and tags."""
