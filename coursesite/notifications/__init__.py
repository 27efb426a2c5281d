"""Notifications: telling people about comments, in the app and by mail."""
