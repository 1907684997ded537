"""Process drafts: the team's next process, prepared part by part before it is published.

- ``edits``: the edit operations (journey, activity per stage, KPIs, scorecards and goals), each
  checked like a file by the loader.
- ``items``: the addressable items of a part (PARTS), and a reviewer's suggestion on one of them
  (check_suggestion, apply_suggestion).
- ``diff``: what changed, in words ("+ stage Evaluates ROI", "goal sdr calls 60/day → 80/day").
"""

from rituals.process_drafts.diff import diff
from rituals.process_drafts.items import (
    PARTS,
    DraftItem,
    apply_suggestion,
    check_suggestion,
    items,
    summary_of,
)

__all__ = [
    "PARTS",
    "DraftItem",
    "apply_suggestion",
    "check_suggestion",
    "diff",
    "items",
    "summary_of",
]
