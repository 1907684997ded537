"""Scorecards: `/scorecard`, the logs behind a number, and scorecards from buttons."""
