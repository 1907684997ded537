"""`pacer demo`: the whole product offline. A sample team from the method's example plays a few
weeks of activity through the real app (signed slash commands, the same parser and handlers as
Slack's), against a local stand-in for Slack's Web API and an SQLite file, and the replies are
printed as readable text. Nothing is written to the database except by commands.

    cast.py           the sample team, its channel and timezone
    player.py         types commands as people through the app, and prints what they see
    activity.py       the days of logs the team types
    contest_story.py  a lagging metric, the contest it suggests, and its posts
    scenes.py         the story, section by section, and the rituals after it
    run.py            `pacer demo` itself: the setup, the story, the summary"""
