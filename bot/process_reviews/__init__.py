"""Reviews of a process draft in Slack (issue 14, parts 2-3): `/pacer process review` and
`feedback` (command.py), the reviewer's buttons and Suggest form (answers.py), the author's
Accept / Dismiss (resolve.py), the reminder sweep (reminders.py), the manager's Home line
(home.py); messages as data in views.py, what is posted after the ack in delivery.py."""
