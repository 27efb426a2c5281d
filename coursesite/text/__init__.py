"""Text: Markdown to safe HTML and back, counting words, tags, times and XML-safe text."""
