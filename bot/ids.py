"""Every ID Pacer gives Slack and matches on when Slack sends it back: buttons' action_ids,
forms' callback_ids, and the one input action_id every form field shares. One place, so a
button and its listener can never disagree, and Slack's payloads can be searched for by name.

The values are stored in messages people already have: never change one, add a new one."""

from enum import StrEnum


class Action(StrEnum):
    """Buttons (block_actions ``action_id``)."""

    # on a message shown privately, and on digests
    SHARE_SCORECARD = "share_scorecard"
    SCORECARD_WHY = "scorecard_why"
    SHARE_LEADERBOARD = "share_leaderboard"
    SHARE_TEAM_SCORECARD = "share_team_scorecard"
    MY_SCORECARD = "digest_scorecard"
    SCORECARD_VOID = "scorecard_void"
    APPLY_CSV = "apply_csv"  # under the dry-run summary of a CSV shared in a DM; value: file, hash  # a manager's "Void a log…" under the logs behind a number
    LOG_ACTIVITY = "digest_log"  # opens the /log form
    # on a coaching thread's opening message
    ADD_ACTION_ITEM = "coaching_add_action"
    ACTION_ITEM_DONE = "coaching_action_done"  # value: the note's id (thread, /coach history)
    # on a lag-check suggestion
    LAG_LAUNCH = "lag_launch"
    LAG_EDIT = "lag_edit"
    LAG_DISMISS = "lag_dismiss"
    # on the App Home tab
    HOME_PERIOD = "home_period"  # + "_day" | "_week" | "_month"
    HOME_PLUS_ONE = "home_plus_one"
    HOME_LOG_NUMBER = "home_log_number"
    HOME_EDIT = "home_edit"
    HOME_VOID = "home_void"
    HOME_AWAY_ADD = "home_away_add"  # "Add time off…": opens the form
    HOME_AWAY_CANCEL = "home_away_cancel"  # value: "FIRST:LAST" (ISO dates)
    # on a review request (value: the round's id) and on a suggestion in the author's thread
    # (value: the answer's id): bot/process_reviews
    REVIEW_APPROVE = "review_approve"
    REVIEW_SUGGEST = "review_suggest"
    REVIEW_ACCEPT = "review_accept"
    REVIEW_DISMISS = "review_dismiss"
    # on a process draft (/pacer process draft)
    DRAFT_EDIT = "process_draft_edit"  # value: the part (journey | activities | kpis | scorecards)


class View(StrEnum):
    """Forms (view ``callback_id``)."""

    LOG = "log_activity"  # /log alone, and "Log activity" on a digest
    HOME_LOG = "home_log"  # "Log a number…" on the Home tab
    HOME_EDIT = "home_edit"  # "Edit" on a log on the Home tab
    HOME_AWAY = "home_away"  # "Add time off…" on the Home tab
    TEAM_SETTINGS = "team_settings"  # /pacer alone, for managers
    CONTEST_START = "contest_start"  # /contest start alone, and "Edit first" on a suggestion
    ACTION_ITEM = "coaching_action_item"  # "Add action item" on a coaching thread
    REVIEW_SUGGEST = "review_suggest_form"  # "Suggest a change" on a review request
    REVIEW_DISMISS = "review_dismiss_form"  # "Dismiss" on a suggestion: the reason
    DRAFT_EDIT = "process_draft_edit"  # a part of a process draft (private_metadata names it)


INPUT = "value"  # every form input's action_id: its block_id names the field
