"""/away and the Home tab's "Time off": a rep's days away (rituals/time_off.py)."""
