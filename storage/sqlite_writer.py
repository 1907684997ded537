"""One writer at a time per SQLite file: in arrival order within a process, woken by the kernel
between processes.

SQLite lets one connection write at a time. Left to itself, a connection that finds the write
lock taken polls for it with sleeps (1, 2, 5 … 100 ms) until ``busy_timeout``: with dozens of
request threads the waits pile up, the lock sits idle while the waiters sleep, and an unlucky
writer loses every race and answers "busy". Here a connection takes the *write turn* for the
file before its first write (INSERT/UPDATE/DELETE, DDL, a SAVEPOINT or an explicit BEGIN) and
gives it back when its transaction ends (commit, rollback, close). The turn is a FIFO queue
among the process's threads, then an ``flock`` among processes (gunicorn's workers, the clock,
the CLI): nobody polls, each waiter is woken when the lock is free, and a write waits at most
``WAIT_S`` in all. SQLite's own lock is then free whenever a turn starts; its ``busy_timeout``
is left for programs that don't take turns (the ``sqlite3`` shell, a backup).

Reads take no turn: pysqlite runs a SELECT outside a transaction in autocommit (its own fresh
snapshot), and opens the transaction (a deferred BEGIN) just before the first write, so a
write never upgrades a stale read snapshot (SQLite's SQLITE_BUSY_SNAPSHOT, which no timeout
cures). ``storage.db.savepoint`` opens its transaction with BEGIN IMMEDIATE, holding the turn,
for the same reason.

A unit of work is still one transaction, committed (with synchronous=FULL: durable) before the
request is answered: the turn only decides who writes next.
"""

import fcntl
import os
import re
import sqlite3
import threading
import time
from collections import deque

from sqlalchemy.exc import OperationalError

from storage.wal_sync import WalSync

# The longest a write waits for its turn and then for SQLite's lock, in all: under Slack's 3 s,
# so a jammed write fails and stores nothing instead of landing after Slack gave up.
WAIT_S = 2.5

LONG_WAIT_MS = 250
clock = time.monotonic  # tests replace it to make a wait long without waiting

# What needs the write lock. PRAGMA, SELECT and WITH … SELECT don't; COMMIT, ROLLBACK and
# RELEASE end what holds it.
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "BEGIN", "SAVEPOINT", "CREATE", "DROP", "ALTER")
_DML = re.compile(r"\b(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


class WriteTurn:
    """Who may write to one SQLite file: a FIFO queue among this process's threads (``release``
    hands the turn straight to the oldest waiter), then an exclusive ``flock`` on the file
    ``<database>.write-lock`` among processes. A process waiting for the flock sleeps in the
    kernel and is woken the moment it is free, where SQLite's own busy handler would poll with
    sleeps and lose most races to the process that just committed; the kernel drops the flock of
    a process that dies."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._mutex = threading.Lock()
        self._waiters: deque[threading.Lock] = deque()
        self._held = False
        self._fd: int | None = None  # the lock file, opened on first use; -1: can't be
        self.owner: int | None = None  # the thread that holds it, to catch waiting on oneself

    def acquire(self, timeout: float) -> None:
        """Wait for the turn, at most ``timeout`` seconds in all; else "database is locked"."""
        deadline = clock() + timeout
        if not self._take_in_process(timeout):
            raise sqlite3.OperationalError(
                f"database is locked (no write turn within {timeout:g} s: "
                f"{self.waiting} writers queued in this process)"
            )
        self.owner = threading.get_ident()
        try:
            self._take_across_processes(deadline)
        except BaseException:
            self._release_in_process()
            raise

    def release(self) -> None:
        if self._fd is not None and self._fd >= 0:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._release_in_process()

    @property
    def waiting(self) -> int:
        return len(self._waiters)

    def _take_in_process(self, timeout: float) -> bool:
        with self._mutex:
            if not self._held:
                self._held = True
                return True
            waiter = threading.Lock()
            waiter.acquire()
            self._waiters.append(waiter)
        if not waiter.acquire(timeout=timeout):
            with self._mutex:
                if waiter in self._waiters:  # still queued: give up
                    self._waiters.remove(waiter)
                    return False
            # handed over just as the wait ended: it is ours
        return True

    def _release_in_process(self) -> None:
        with self._mutex:
            self.owner = None
            if self._waiters:
                self._waiters.popleft().release()  # _held stays True: the waiter owns it now
            else:
                self._held = False

    def _take_across_processes(self, deadline: float) -> None:
        if self._fd is None:
            try:
                self._fd = os.open(f"{self.path}.write-lock", os.O_RDWR | os.O_CREAT, 0o644)
            except OSError:  # e.g. a read-only folder: SQLite's busy timeout alone arbitrates
                self._fd = -1
        if self._fd < 0:
            return
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        # Another process writes. Wait in the kernel (no polling, no GIL held); a holder takes
        # milliseconds, and one that dies lets go. One that hangs is waited out, but the write is
        # then refused: it must not land after Slack gave up on the request.
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        if clock() > deadline:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            raise sqlite3.OperationalError(
                "database is locked (another process held the write lock past the timeout)"
            )

    def close_inherited(self) -> None:
        """In a forked child: drop the parent's lock file descriptor (the parent's flock stays)."""
        if self._fd is not None and self._fd >= 0:
            os.close(self._fd)
            self._fd = None


_turns: dict[str, WriteTurn] = {}
_turns_mutex = threading.Lock()


def turn_for(path: str) -> WriteTurn:
    """The write turn of the database file at ``path``, shared by every engine on it in this
    process."""
    key = os.path.realpath(path)
    with _turns_mutex:
        turn = _turns.get(key)
        if turn is None:
            turn = _turns[key] = WriteTurn(key)
        return turn


def _forget_turns_in_child() -> None:
    # A forked child has only the forking thread: a turn held by another thread of the parent
    # would never be given back. The child starts with fresh turns and lock files of its own
    # (and must open its own database connections anyway).
    global _turns, _turns_mutex
    for turn in _turns.values():
        turn.close_inherited()
    _turns, _turns_mutex = {}, threading.Lock()


os.register_at_fork(after_in_child=_forget_turns_in_child)


class WriterConnection(sqlite3.Connection):
    """A pysqlite connection that holds its process's write turn from its first write until its
    transaction ends. ``storage.db.make_engine`` passes it as ``sqlite3.connect``'s factory."""

    turn: WriteTurn | None = None  # set when connected (storage.db); None: no turn taking
    # Set when connected in WAL mode with synchronous=NORMAL: a commit is made durable after the
    # turn is given back (storage/wal_sync.py). None: SQLite syncs inside COMMIT (FULL).
    wal_sync: WalSync | None = None
    _holding = False
    _busy_timeout_ms: int | None = None  # as configured, read on the first wait
    _timeout_changed = False

    def take_turn_for(self, statement: str) -> None:
        """Before running ``statement``: wait for the write turn if it writes and this
        connection doesn't hold it yet. Raises "database is locked" after ``WAIT_S``."""
        if self._holding or self.turn is None or not _writes(statement):
            return
        if self.turn.owner == threading.get_ident():
            # This thread already writes through another connection, whose transaction can't end
            # while this one waits: the same deadlock SQLite's lock would give, at once.
            raise sqlite3.OperationalError(
                "database is locked (this thread already holds the write turn on another "
                "connection: commit that unit of work before starting another that writes)"
            )
        began = clock()
        self.turn.acquire(WAIT_S)
        self._holding = True
        waited_ms = int((clock() - began) * 1000)
        # What is left of the 2.5 s is for SQLite's own lock, should a program that doesn't take
        # turns hold it. Only after a long wait: each statement costs the writer the GIL back.
        if waited_ms >= LONG_WAIT_MS:
            if self._busy_timeout_ms is None:
                self._busy_timeout_ms = self.execute("PRAGMA busy_timeout").fetchone()[0]
            if waited_ms < self._busy_timeout_ms:
                self._set_busy_timeout(self._busy_timeout_ms - waited_ms)
            else:
                self._set_busy_timeout(0)

    def give_turn_back_if_done(self) -> None:
        """After a statement: a COMMIT, ROLLBACK or RELEASE run as SQL may have ended the
        transaction."""
        if self._holding and not self.in_transaction:
            self._give_turn_back()
            self._wait_durable()

    def _give_turn_back(self) -> None:
        self._holding = False
        self.turn.release()
        if self._timeout_changed:
            self._set_busy_timeout(self._busy_timeout_ms)

    def _set_busy_timeout(self, ms: int) -> None:
        self.execute(f"PRAGMA busy_timeout={int(ms)}").close()
        self._timeout_changed = ms != self._busy_timeout_ms

    def commit(self) -> None:
        # A transaction open in pysqlite's legacy mode is one that wrote (or meant to): made
        # durable even if it somehow wrote without the turn.
        wrote = self._holding or self.in_transaction
        try:
            super().commit()
        finally:
            if self._holding and not self.in_transaction:
                self._give_turn_back()
        if wrote:  # the next writer goes on while this one waits for the disk
            self._wait_durable()

    def _wait_durable(self) -> None:
        if self.wal_sync is not None:
            self.wal_sync.wait_durable()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            if self._holding and not self.in_transaction:
                self._give_turn_back()

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self._holding:
                self._holding = False
                self.turn.release()


def _writes(statement: str) -> bool:
    start = statement.lstrip()[:9].upper()
    if start.startswith("WITH"):  # WITH … INSERT/UPDATE/DELETE writes too
        return _DML.search(statement) is not None
    return start.startswith(_WRITES)


def before_cursor_execute(conn, _cursor, statement, _parameters, _context, _executemany) -> None:
    """SQLAlchemy's hook before every statement on an SQLite engine (storage.db)."""
    driver = conn.connection.driver_connection
    if isinstance(driver, WriterConnection):
        try:
            driver.take_turn_for(statement)
        except sqlite3.OperationalError as error:
            # Raised as SQLAlchemy does for a statement that failed: older SQLAlchemy versions
            # (the dependency floors) don't wrap what an event hook raises, so unit_of_work
            # would not see it as the database being unavailable.
            raise OperationalError(statement, None, error) from None


def after_cursor_execute(conn, _cursor, _statement, _parameters, _context, _executemany) -> None:
    driver = conn.connection.driver_connection
    if isinstance(driver, WriterConnection):
        driver.give_turn_back_if_done()
