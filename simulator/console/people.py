"""The stand-in Slack's people and channels as the console knows them (who a name means, where a
channel is), and what Slack sends for what is typed: mentions made as its autocomplete makes them."""

import re

from bot.messages import escape
from rituals.process import default_process
from rituals.teams import team_process
from simulator.demo.cast import CHANNEL_ID, CHANNEL_NAME, MANAGER, TZ, add_cast
from simulator.slack_standin import USER_ID
from storage import people_queries
from storage.models import SalesTeam
from storage.unit_of_work import unit_of_work


class PeopleAndChannels:
    """Part of Console (session.py): its stand-in's people and channels, and the team of
    whoever you are."""

    def load_people(self) -> None:
        """Everyone the database knows (names and timezones Pacer cached from Slack) becomes a
        person in the stand-in Slack; the demo's cast too, on the demo's database."""
        with unit_of_work(self.engine) as session:
            profiles = people_queries.all_profiles(session)
            members = people_queries.all_members(session)
            teams = people_queries.teams(session)
        for profile in profiles:
            self.standin.add_user(profile.user_id, profile.display_name, tz=profile.tz or str(TZ))
        if any(m.user_id == MANAGER.user_id for m in members):
            add_cast(self.standin)  # the demo's database: its people, as the demo made them
        for member in members:
            if member.user_id not in self.standin.users:
                self.standin.add_user(member.user_id, member.user_id.lower())
        self.standin.add_channel(CHANNEL_ID, CHANNEL_NAME)
        for team in teams:
            for channel in (team.channel_id, team.coaching_channel_id):
                if channel and channel not in self.standin.channels:
                    self.standin.add_channel(channel, channel.lower())

    def names(self) -> dict[str, str]:
        return {uid: u.get("real_name") or u["name"] for uid, u in self.standin.users.items()}

    def name(self, user_id: str | None) -> str:
        return self.names().get(user_id or "", user_id or "nobody")

    def find(self, query: str) -> list[str]:
        """People a name could mean: a user id, a full name, or the start of a name."""
        wanted = query.strip().lstrip("@").casefold()
        people = self.names()
        if not wanted:
            return []
        if wanted.upper() in people:
            return [wanted.upper()]
        exact = [u for u, n in people.items() if n.casefold() == wanted]
        if exact:
            return exact
        return [
            u
            for u, n in people.items()
            if n.casefold().startswith(wanted)
            or any(w.startswith(wanted) for w in n.casefold().split())
        ]

    def my_team(self) -> SalesTeam | None:
        """The team of whoever you are, else the workspace's first team."""
        with unit_of_work(self.engine) as session:
            active = people_queries.all_members(session, active_only=True)
            member = next((m for m in active if m.user_id == (self.me or "")), None)
            if member is not None:
                return people_queries.get_team(session, member.team_id)
            return next(iter(people_queries.teams(session)), None)

    def team_tz(self):
        team = self.my_team()
        if team is None:
            return default_process().calendar.tz
        with unit_of_work(self.engine) as session:
            return team_process(session, team.id)[0].calendar.tz

    def channel(self) -> str:
        """Where commands are typed: the team's channel, else #sales."""
        team = self.my_team()
        return (team.channel_id if team else None) or CHANNEL_ID

    def where(self, channel: str) -> str:
        if channel in self.standin.channels:
            return "#" + self.standin.channels[channel]
        if USER_ID.match(channel):
            return f"direct message to {self.name(channel)}"
        if channel.startswith("D"):
            dms = {v: k for k, v in getattr(self.standin, "_dms", {}).items()}
            users = dms.get(channel, ())
            if len(users) == 1:
                return f"direct message to {self.name(users[0])}"
            if users:
                return "group message with " + ", ".join(self.name(u) for u in users)
            return "a direct message"
        return "#" + channel.lower()

    def slack_text(self, text: str) -> str:
        """What Slack sends for what was typed (should_escape): &, <, > escaped; @name, @here
        and #channel made into mentions, as Slack's autocomplete does."""
        text = escape(text)
        out, i = [], 0
        while i < len(text):
            before = text[i - 1] if i else " "
            if text[i] == "@" and not (before.isalnum() or before in "@/"):
                hit = self.mention_at(text, i + 1)
                if hit:
                    out.append(hit[1])
                    i += 1 + hit[0]
                    continue
            if text[i] == "#" and before.isspace():
                found = re.match(r"[A-Za-z0-9][\w-]*", text[i + 1 :])
                if found and re.search("[A-Za-z]", found.group()):
                    out.append(self.channel_mention(found.group().lower()))
                    i += 1 + len(found.group())
                    continue
            out.append(text[i])
            i += 1
        return "".join(out)

    def mention_at(self, text: str, start: int) -> tuple[int, str] | None:
        rest = text[start:]
        special = re.match(r"(channel|here|everyone)\b", rest)
        if special:
            return len(special.group()), f"<!{special.group()}>"
        for user_id, name in sorted(self.names().items(), key=lambda p: -len(p[1])):
            after = rest[len(name) : len(name) + 1]
            if rest[: len(name)].casefold() == name.casefold() and not after.isalnum():
                return len(name), f"<@{user_id}|{handle_of(name)}>"
        token = re.match(r"[\w.'-]*\w", rest)
        if token:
            found = self.find(token.group())
            if len(found) == 1:
                return len(token.group()), f"<@{found[0]}|{handle_of(token.group())}>"
        return None

    def channel_mention(self, name: str) -> str:
        known = {n: c for c, n in self.standin.channels.items()}
        if name not in known:
            channel = f"C0CON{len(self.standin.channels) + 1:04d}"
            self.standin.add_channel(channel, name)
            self.print(f"(#{name} is a new channel in the stand-in Slack)")
            known[name] = channel
        return f"<#{known[name]}|{name}>"

    def new_user_id(self, name: str) -> str:
        stem = re.sub(r"[^A-Z0-9]", "", name.upper())[:7] or "PERSON"
        user_id, n = f"U0{stem}", 1
        while user_id in self.standin.users:
            n += 1
            user_id = f"U0{stem}{n}"
        return user_id


def handle_of(name: str) -> str:
    """A Slack handle from a name: "Maria Lopez" → "maria.lopez"."""
    return ".".join(name.lower().split()) or "someone"
