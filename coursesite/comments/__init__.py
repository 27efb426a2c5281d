"""Peer commenting: threaded, timestamped comments on essays."""
