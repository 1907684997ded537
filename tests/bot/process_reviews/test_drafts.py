"""bot/process_reviews/drafts.py: the items of a whole-draft round fit a Slack select, and what
changed is worded by the drafts feature."""

from bot.process_reviews.drafts import part_items
from rituals.process import default_process
from rituals.process_drafts import items
from rituals.process_reviews import PARTS


def test_a_whole_draft_round_offers_every_parts_items_up_to_a_select():
    process = default_process()
    every = [i.ref for part in PARTS for i in items(process, part)]
    offered = [i.ref for i in part_items(process, "all")]
    assert offered == every[:100] and len(offered) <= 100
    assert [i.ref for i in part_items(process, "journey")][0] == "stage:receives_call"
