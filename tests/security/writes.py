"""Which tables a request changed for good: committed INSERT/UPDATE/DELETE statements.

The bad-input benchmark (SECURITY.md #12) asks, for every rejected request, whether any row was
saved anyway. Digesting every table before and after each request (`world.fingerprint`) answers
that exactly, but its cost grows with the rows the accepted requests add: at 10,000 requests per
form it made the run take most of a day. This watcher answers the same question from the
statements themselves, at no cost per row: it listens to the engine (SQLAlchemy's documented
`after_cursor_execute` and transaction events), keeps the writes of the open transaction, drops
them on ROLLBACK (or ROLLBACK TO SAVEPOINT) and keeps them on COMMIT. No library does this; it is
twenty lines on top of SQLAlchemy's event API.

It is stricter than the digest: an UPDATE that writes a row's own values again counts as a write.
A statement it cannot classify counts as a write too. tests/security/test_writes.py checks it
against the digest on real commits, rollbacks and savepoints.
"""
import re

from sqlalchemy import event

from tests.security.world import SIDE_EFFECT_TABLES

DML = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
# Statements that never change a row (SQLAlchemy and the app issue these around their work).
READS = re.compile(r"^\s*(?:SELECT|WITH\b(?![\s\S]*\b(?:INSERT|UPDATE|DELETE)\b)|PRAGMA|SET|SHOW|LOCK|SAVEPOINT|"
                   r"RELEASE|ROLLBACK|BEGIN|COMMIT|EXPLAIN)", re.IGNORECASE)
PENDING = "ledsager_test_pending_writes"
SAVEPOINT = object()


class CommittedWrites:
    """Attach to an engine; `tables()` is the set of tables changed by commits since `clear()`."""

    def __init__(self, engine, ignore=frozenset(SIDE_EFFECT_TABLES)):
        self.engine, self.ignore, self.committed = engine, ignore, set()
        self._listeners = [
            ("after_cursor_execute", self._executed),
            ("commit", self._commit),
            ("rollback", self._rollback),
            ("savepoint", self._savepoint),
            ("rollback_savepoint", self._rollback_savepoint),
            ("release_savepoint", self._release_savepoint),
        ]
        for name, function in self._listeners:
            event.listen(engine, name, function)

    def close(self):
        for name, function in self._listeners:
            event.remove(self.engine, name, function)

    def clear(self):
        self.committed = set()

    def tables(self) -> set[str]:
        return set(self.committed)

    # The open transaction's writes live on the connection: a list of table names with a
    # SAVEPOINT marker where each open savepoint began. Savepoints nest last-in first-out (the
    # `savepoint` event does not always know the name yet), so a rollback to a savepoint drops
    # everything after the last marker, and a release just removes that marker.
    @staticmethod
    def _pending(conn) -> list:
        return conn.info.setdefault(PENDING, [])

    def _executed(self, conn, cursor, statement, parameters, context, executemany):
        match = DML.match(statement)
        if match:
            table = match.group(1)
            if table in self.ignore or cursor.rowcount == 0:
                return
            self._pending(conn).append(table)
        elif not READS.match(statement):
            self._pending(conn).append(f"(unclassified: {statement[:40]})")

    def _commit(self, conn):
        self.committed.update(t for t in self._pending(conn) if t is not SAVEPOINT)
        conn.info[PENDING] = []

    def _rollback(self, conn):
        conn.info[PENDING] = []

    def _savepoint(self, conn, name):
        self._pending(conn).append(SAVEPOINT)

    def _last_savepoint(self, conn) -> int:
        pending = self._pending(conn)
        return max((i for i, item in enumerate(pending) if item is SAVEPOINT), default=len(pending))

    def _rollback_savepoint(self, conn, name, context):
        del self._pending(conn)[self._last_savepoint(conn):]

    def _release_savepoint(self, conn, name, context):
        pending = self._pending(conn)
        if SAVEPOINT in pending:
            del pending[self._last_savepoint(conn)]
