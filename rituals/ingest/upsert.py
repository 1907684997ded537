"""The upsert of ingested activity on (workspace, source, external_id), set-based.

A batch is read in a few statements (what is stored and held under its keys, its owners, their
memberships and timezones), decided in memory item by item (a key repeated within the batch sees
what the items before it did), and written with one executemany per kind of write, all inside
one savepoint: nothing is half-written, and a key taken by a concurrent request at the same
moment makes the whole batch run again on what is stored now.

An ingested item counts like a `/log`: for a rep on a team whose scorecard has the KPI, dated by
``occurred_at`` in the rep's own timezone, within the process's backdate limit and the rep's
tenure, at most the process's largest count. One row per key: a changed item updates the row
in place, a deleted one voids it (``voided_by`` = "deleted at source"), and an item sent again
after its deletion brings it back. A row a manager voided in Slack stays voided whatever the
source sends later."""

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from rituals.dates import aware
from rituals.ingest.items import (
    DELETED_AT_SOURCE,
    SLACK_USER_ID,
    IngestItem,
    ItemResult,
    owner_key,
    shape_problem,
)
from rituals.process import Process
from rituals.process.sources import SOURCE_NAMES, role_mapped_record
from rituals.scorecard import rep_calendar
from rituals.teams import team_process
from storage import ingest_queries as q
from storage.models import Member
from storage.unit_of_work import Session

HELD_REASON = (
    "owner {owner!r} is not matched to a Slack user yet: held until it is mapped "
    "(`/pacer api review` in Slack, or `pacer api review`)"
)


@dataclass(slots=True)
class _Row:
    """A key's row as the batch goes: stored (``id``), or to be inserted (``id`` None)."""

    id: int | None
    rep_id: str
    team_id: int
    kpi: str
    count: int
    occurred_on: date
    voided: bool
    voided_by: str | None
    process_version_id: int | None = None
    changed: bool = False  # rep, KPI, count or date
    was_voided: bool = False  # as stored, to tell a void or a restore from no change

    def same(self, rep_id: str, kpi: str, count: int, occurred_on: date) -> bool:
        return (self.rep_id, self.kpi, self.count, self.occurred_on) == (
            rep_id,
            kpi,
            count,
            occurred_on,
        )


def ingest(
    session: Session,
    workspace_id: int,
    items: list[IngestItem],
    now: datetime,
    *,
    via: str = "api",
    entered_by: str = "api",
) -> list[ItemResult]:
    """Upsert ``items`` for a workspace (flushed in the caller's unit of work, not committed);
    one result per item, in order. ``via``: the log source the rows are stored with (api,
    import…); ``entered_by``: who entered them, as the drill-down shows it."""
    return apply(session, workspace_id, items, [now] * len(items), now, via, entered_by)


def apply(
    session: Session,
    workspace_id: int,
    items: list[IngestItem],
    received: list[datetime],
    now: datetime,
    via: str,
    entered_by: str,
) -> list[ItemResult]:
    """``received[i]``: when item i arrived, which its dates are checked against (the held
    queue applies items later than they came)."""
    if len(received) != len(items):
        raise ValueError("one received time per item")
    return q.retrying(
        session, lambda: _Batch(session, workspace_id, now, via, entered_by).run(items, received)
    )


class _Batch:
    def __init__(self, session, workspace_id: int, now: datetime, via: str, entered_by: str):
        self.session, self.workspace_id, self.now = session, workspace_id, now
        self.via, self.entered_by = via[:16], entered_by[:32]
        self.processes: dict[int, tuple[Process, int | None]] = {}
        self.rules: dict[tuple, tuple | str] = {}  # (team, role, KPI word) -> rule or refusal
        self.checked: dict[tuple, tuple | str] = {}  # (rep, KPI word, received) -> the same

    # -- reading --------------------------------------------------------------------------

    def run(self, items: list[IngestItem], received: list[datetime]) -> list[ItemResult]:
        problems = [shape_problem(item) for item in items]
        keys = {item.key for item, bad in zip(items, problems, strict=True) if bad is None}
        stored = q.stored_logs(self.session, self.workspace_id, keys)
        self.rows: dict[tuple[str, str], _Row] = {
            key: _Row(*log, was_voided=log.voided) for key, log in stored.items()
        }
        # Nothing held in the workspace (the usual case): no need to look under 1,000 keys.
        held_any = q.has_held(self.session, self.workspace_id)
        self.held = q.held_items(self.session, self.workspace_id, keys) if held_any else {}
        self.held_new: dict[tuple[str, str], dict] = {}
        self.held_gone: set[int] = set()
        live = [i for i, bad in zip(items, problems, strict=True) if bad is None and not i.deleted]
        self._resolve_owners(live)

        results = []
        for item, bad, at in zip(items, problems, received, strict=True):
            if bad is not None:
                results.append(ItemResult(str(item.external_id), "rejected", bad, item.source))
                continue
            status, reason = self._delete(item) if item.deleted else self._upsert(item, at)
            results.append(ItemResult(item.external_id, status, reason, item.source))
        self._write()
        return results

    def _resolve_owners(self, items: list[IngestItem]) -> None:
        owners = {i.owner for i in items}  # a batch names a few dozen people a thousand times
        keys = {owner_key(o) for o in owners}
        by_alias = q.aliases(self.session, self.workspace_id, keys)
        emails = {k for k in keys if "@" in k and k not in by_alias}
        by_email = q.users_by_email(self.session, self.workspace_id, emails)
        ids = {o.strip() for o in owners if SLACK_USER_ID.match(o.strip())}
        users = set(by_alias.values()) | set(by_email.values()) | ids
        self.members: dict[str, Member]
        self.members, self.tz = q.members_and_timezones(self.session, self.workspace_id, users)
        self.owner_of: dict[str, str | None] = {}
        for owner in owners:
            key, plain = owner_key(owner), owner.strip()
            user = by_alias.get(key) or by_email.get(key)
            if user is None and plain in ids and plain in self.members:
                user = plain
            self.owner_of[owner] = user

    def _process(self, team_id: int) -> tuple[Process, int | None]:
        if team_id not in self.processes:
            self.processes[team_id] = team_process(self.session, team_id)
        return self.processes[team_id]

    # -- deciding, item by item -----------------------------------------------------------

    def _delete(self, item: IngestItem) -> tuple[str, str | None]:
        key = item.key
        was_held = self._unhold(key)
        row = self.rows.get(key)
        if row is not None and not row.voided:
            row.voided, row.voided_by = True, DELETED_AT_SOURCE
            return "voided", None
        if was_held:
            return "voided", "it was held, waiting for its owner: removed from the queue"
        if row is not None:
            return "unchanged", "already voided"
        return "unchanged", "nothing is stored under this external_id"

    def _unhold(self, key) -> bool:
        held = False
        if key in self.held_new:
            del self.held_new[key]
            held = True
        if key in self.held:
            self.held_gone.add(self.held.pop(key).id)
            held = True
        return held

    def _upsert(self, item: IngestItem, at: datetime) -> tuple[str, str | None]:
        mapped = role_mapped_record(item.kpi)
        if mapped is not None and mapped[0] != item.source:
            return "rejected", (
                f"kpi {item.kpi!r} is the KPI {SOURCE_NAMES[mapped[0]]} maps by role: only its "
                "own items may name it; name the KPI"
            )
        user = self.owner_of.get(item.owner)
        if user is None:
            self._hold(item, at)
            return "held", HELD_REASON.format(owner=item.owner)
        refused = self._check(item, user, at)
        if isinstance(refused, str):
            return "rejected", refused
        member, process, version_id, kpi, occurred_on = refused
        key = (item.source, item.external_id)
        self._unhold(key)
        row = self.rows.get(key)
        if row is None:
            self.rows[key] = _Row(
                None, user, member.team_id, kpi, item.count, occurred_on, None, None, version_id
            )
            return "created", None
        same = row.same(user, kpi, item.count, occurred_on)
        kept_void = row.voided and row.voided_by != DELETED_AT_SOURCE
        if not same:
            row.rep_id, row.team_id, row.kpi = user, member.team_id, kpi
            row.count, row.occurred_on, row.process_version_id = item.count, occurred_on, version_id
            row.changed = True
        if kept_void:
            note = f"voided in Slack by {row.voided_by}: kept voided, not counted"
            return ("unchanged" if same else "updated"), note
        if row.voided:  # deleted at the source before, sent again: back
            row.voided, row.voided_by = False, None
            return "updated", "restored after its deletion"
        return ("unchanged", None) if same else ("updated", None)

    def _check(self, item: IngestItem, user: str, at: datetime):
        """The member, process, version, KPI key and date; or why not, as a sentence. All but
        the count and the date depends only on the rep, the KPI word and when the item came,
        so it is worked out once per batch for each of those."""
        key = (user, item.kpi, at)
        found = self.checked.get(key)
        if found is None:
            found = self.checked[key] = self._rep_rule(user, item.kpi, at)
        if isinstance(found, str):
            return found
        member, process, version_id, kpi_key, tz, today, oldest, first, last = found
        if item.count < 1:
            return 'count must be at least 1 (send "deleted": true to remove an item)'
        if item.count > process.max_count:
            return f"count {item.count} is over the process's limit of {process.max_count} per log"
        occurred_on = item.occurred_at.astimezone(tz).date()
        if occurred_on > today:
            return (
                f"occurred_at is in the future ({occurred_on} in the rep's time; today is {today})"
            )
        if occurred_on < oldest:
            return (
                f"occurred_at ({occurred_on} in the rep's time) is older than the process's "
                f"backdate limit of {process.backdate_days} days (oldest: {oldest})"
            )
        if (first is not None and occurred_on < first) or (last is not None and occurred_on > last):
            return f"{user} was not on the team on {occurred_on}"
        return member, process, version_id, kpi_key, occurred_on

    def _rep_rule(self, user: str, word: str, at: datetime):
        member = self.members.get(user)
        if member is None or not member.active or not member.role:
            return f"{user} is not a rep on a Pacer team"
        rule_key = (member.team_id, member.role, word)
        rule = self.rules.get(rule_key)
        if rule is None:
            rule = self.rules[rule_key] = self._rule(member, word)
        if isinstance(rule, str):
            return rule.replace("{user}", user)
        process, version_id, kpi_key = rule
        cal = rep_calendar(process, self.tz.get(user))
        today = cal.local_date(at)
        oldest = today - timedelta(days=process.backdate_days)
        # Tenure as rituals.tenure.on_team has it (an active member's dates), read once.
        first, last = member.started_on, member.last_day
        return member, process, version_id, kpi_key, cal.tz, today, oldest, first, last

    def _rule(self, member: Member, word: str):
        """(process, version id, KPI key) for a rep's role and a KPI word; or why not, with
        "{user}" where the rep goes (the same for every rep of the role)."""
        process, version_id = self._process(member.team_id)
        if not process.has_role(member.role):
            return f"{{user}}'s role {member.role!r} is not in the team's process"
        role = process.role(member.role)
        mapped = role_mapped_record(word)
        if mapped is not None:  # held by record type until the owner's role was known
            source, record = mapped
            mapping = process.sources.get(source)
            word = (mapping.kpi_for(record, role.key) if mapping else None) or ""
            if not word:
                return f"sources.{source}.{record} maps no KPI for {role.key} ({{user}}'s role)"
        found = [process.kpi(word)] if process.has_kpi(word) else []
        found = found or process.resolve_word(word, role.key)
        if len(found) != 1:
            return f"kpi {word!r} is not a KPI of the process (keys: {', '.join(role.scorecard)})"
        kpi = found[0]
        if kpi.key not in role.scorecard:
            return f"{kpi.key} is not on {{user}}'s scorecard ({role.name}: {', '.join(role.scorecard)})"
        return process, version_id, kpi.key

    def _hold(self, item: IngestItem, at: datetime) -> None:
        before = self.held.get(item.key)
        occurred = item.occurred_at.astimezone(UTC)
        if before is not None and (
            before.owner,
            before.kpi,
            before.count,
            aware(before.occurred_at),
        ) == (item.owner.strip(), item.kpi.strip(), item.count, occurred):
            return  # held as it is already: a replay writes nothing (and keeps when it came)
        self._unhold(item.key)
        self.held_new[item.key] = {
            "workspace_id": self.workspace_id,
            "source": item.source,
            "external_id": item.external_id,
            "owner": item.owner.strip(),
            "owner_key": owner_key(item.owner),
            "kpi": item.kpi.strip(),
            "count": item.count,
            "occurred_at": occurred,
            "received_at": at,
            "via": self.via,
            "entered_by": self.entered_by,
        }

    # -- writing --------------------------------------------------------------------------

    def _write(self) -> None:
        base = uuid.uuid4().hex[:24]
        inserts, updates, voids, restores = [], [], [], []
        ws, now, by, via = self.workspace_id, self.now, self.entered_by, self.via
        for n, ((source, external_id), row) in enumerate(self.rows.items()):
            if row.id is None:
                # In q.LOG_INSERT's order: a tuple per row, straight to the driver.
                inserts.append(
                    (
                        ws,
                        row.team_id,
                        row.rep_id,
                        by,
                        row.kpi,
                        row.count,
                        row.occurred_on,
                        now,
                        via,
                        f"{base}{n:012x}",  # one batch per row: voided alone
                        "",
                        row.process_version_id,
                        now if row.voided else None,
                        row.voided_by,
                        source,
                        external_id,
                    )
                )
                continue
            if row.changed:
                updates.append(
                    {
                        "id": row.id,
                        "rep_id": row.rep_id,
                        "team_id": row.team_id,
                        "kpi": row.kpi,
                        "count": row.count,
                        "occurred_on": row.occurred_on,
                        "process_version_id": row.process_version_id,
                    }
                )
            if row.voided and not row.was_voided:
                voids.append(row.id)
            elif row.was_voided and not row.voided:
                restores.append(row.id)
        q.delete_held(self.session, self.held_gone)
        q.insert_logs(self.session, inserts)
        q.update_logs(self.session, updates)
        q.void_logs(self.session, voids, DELETED_AT_SOURCE, self.now)
        q.unvoid_logs(self.session, restores)
        q.hold(self.session, list(self.held_new.values()))
