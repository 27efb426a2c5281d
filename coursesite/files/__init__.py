"""Files: uploaded images, their checks and storage, and the store workers share."""
