"""Contests: `/contest` and its form, and the buttons on the lag check's suggestions."""
