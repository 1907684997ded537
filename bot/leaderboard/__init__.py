"""Leaderboards on request: `/leaderboard`, and sharing one in a channel."""
