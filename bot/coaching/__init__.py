"""Coaching: `/coach` threads from the numbers, notes and action items from replies."""
