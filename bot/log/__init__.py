"""Logging activity: `/log` (typed, undo, help) and the /log form."""
