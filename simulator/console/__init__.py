"""`pacer console`: Pacer in a terminal, offline. The real app (the same `build_app`, handlers and
rituals as in Slack) gets signed requests built as Slack builds them (`simulator.signed_requests`),
its Web API calls go to a local stand-in for Slack (`simulator.slack_standin`), and whatever Slack
would show (the private reply, posts in channels, direct messages, threads, forms, the Home tab) is
drawn as text (`simulator.textview`). It is a thin driver: every answer comes from the app; the
console only types, clicks and draws.

    Maria Lopez › /log call 12
    Pacer (only visible to you)
        ✅ Logged 12 Calls / Emails · today, Tue 24 Nov. …

Reads commands from a terminal (with readline history) or from a pipe (a script), one a line.

    run.py      `pacer console` itself: the database, the lines typed, the session
    session.py  one session: the app, who you are, and the console's own commands
    people.py   the stand-in Slack's people and channels, and typing as Slack delivers it
    actions.py  what Slack sends when you type a command, press a button, open Home
    forms.py    filling in, submitting and closing a form
    screen.py   what one action made Slack show, drawn, with its buttons numbered
    modal.py    an open form and what is typed into it
    clock.py    the real time, or the instant `:time` set"""
