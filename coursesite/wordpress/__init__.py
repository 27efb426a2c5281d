"""WordPress: reading, importing and exporting WXR files."""
