"""Ritual delivery: the clock, running one ritual for one team exactly once, and posting
digests, leaderboards and nudges to Slack."""
