"""Data in from Slack: a CSV of activity shared with Pacer in a direct message."""
