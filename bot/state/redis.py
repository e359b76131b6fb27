"""The shared state backend: one Redis server for many hosts (PLANBOT_STATE_URL=redis://...).

Every operation that reads and then writes is one Lua script, so it is atomic on the
server without a lock or a WATCH round trip per try:

- conversations: ``planbot:conv:<key>``, a hash {data, updated}. `update` is a
  compare-and-swap script that writes only if data and updated are still what was read.
  After UPDATE_TRIES lost races the updater takes ``planbot:lock:<key>`` (SET NX PX, so a
  dead holder's lock expires); while it is held the swap script refuses everyone else, so
  the holder's read-compute-write gets in. The wait for the lock is bounded (LOCK_WAIT),
  and so are the tries: if the last one is refused too (the lock was not had in time, or
  it expired during a slow answer, or a plain `save` came in between), the answer goes out
  and its new state is not saved, with a warning, as in the SQLite backend.
- seen event ids: ``planbot:seen:<sha256>``, SET NX with an expiry of SEEN_EVENT_TTL.
- rate windows: ``planbot:rate:<key>``, a hash {start, count, noticed}, counted by a script
  (`hit_rate`, or the journal add's own, which keeps the message's number in the entry).
- the event journal: ``planbot:journal:<sha256>``, a hash per event {event_id, payload,
  status, added, attempts, worker, available, outcome, finished, rate_count (when the add
  counted its message)}; ``planbot:journal:ready``,
  a sorted set of pending events scored by when each may be taken (when added, released,
  or when its lease ends), so a take is "the lowest score not after now"; and
  ``planbot:journal:worker:<name>``, the events a worker holds, for `journal_release`.
  (Streams with consumer groups were the other candidate; their pending lists measure a
  lease from the last delivery with the *next* taker's idle time, cannot take one given
  event, and cannot be driven by a test clock; a sorted set does all three in one script.)

Keys are hashed as in every backend (`bot.state.base`); nothing personal is in a key. Logical
times (`now`) are the callers', as in SQLite; Redis expiries only clean up afterwards, so a
conversation key lives TTL + EXPIRY_MARGIN seconds after its last save. Pending journal
entries never expire: the server must not evict them either (README: maxmemory-policy
noeviction). One Redis server (or a primary with replicas), not Redis Cluster: the journal
scripts touch keys they compute.
"""

from __future__ import annotations

import json
import secrets
import time

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from bot.reply import State
from bot.state.base import (
    ADDED,
    DEFAULT_TTL,
    DONE,
    MAX_ATTEMPTS,
    PENDING,
    RATE_ROW_TTL,
    SEEN_EVENT_TTL,
    UPDATE_TRIES,
    JournalEntry,
    RateCount,
    StateBackend,
    decode_payload,
    encode_payload,
    event_digest,
    logger,
)

PREFIX = "planbot:"
#: Seconds a Redis expiry outlives the logical one (clocks of hosts and server differ a little).
EXPIRY_MARGIN = 60
#: Seconds one Redis call may take before it fails (the webhook then answers without state).
SOCKET_TIMEOUT = 2.0
#: How long an updater's lock lives if its holder dies (milliseconds); compute is an answer.
LOCK_MS = 10_000
#: Pause between polls for a conversation lock held by another updater (seconds).
LOCK_POLL = 0.005
#: How long an updater waits for that lock (seconds): a few answers' time. Past it the
#: answer is still given, on the state read, and its new state is not saved.
LOCK_WAIT = 2.0

#: KEYS: conversation, lock. ARGV: read data ('' = absent), read updated, new data,
#: new updated, expiry seconds, our lock token ('' = none). 1 if written, 0 if not.
SWAP = """
local holder = redis.call('GET', KEYS[2])
if holder and holder ~= ARGV[6] then return 0 end
local current = redis.call('HMGET', KEYS[1], 'data', 'updated')
if ARGV[1] == '' then
  if current[1] then return 0 end
elseif current[1] ~= ARGV[1] or current[2] ~= ARGV[2] then
  return 0
end
redis.call('HSET', KEYS[1], 'data', ARGV[3], 'updated', ARGV[4])
redis.call('EXPIRE', KEYS[1], ARGV[5])
return 1
"""

#: KEYS: lock. ARGV: token. Deletes the lock only if it is still ours.
UNLOCK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""

#: Lua: count one message in a rate window {start, count, noticed} (a new window once the
#: old one is over); the message's number in its window and whether its notice was given.
COUNT_RATE = """
local function count_rate(key, now, window, expiry)
  local row = redis.call('HMGET', key, 'start', 'count', 'noticed')
  local hits, noticed = 1, 0
  if row[1] and tonumber(now) - tonumber(row[1]) < tonumber(window) then
    hits, noticed = tonumber(row[2]) + 1, tonumber(row[3])
    redis.call('HSET', key, 'count', hits)
  else
    redis.call('HSET', key, 'start', now, 'count', 1, 'noticed', 0)
  end
  redis.call('EXPIRE', key, expiry)
  return hits, noticed
end
"""

#: KEYS: rate window. ARGV: now, limit, window, expiry seconds. The verdict: ok within the
#: limit, notice for the window's first message past it, silent after.
HIT_RATE = COUNT_RATE + """
local hits, noticed = count_rate(KEYS[1], ARGV[1], ARGV[3], ARGV[4])
if hits <= tonumber(ARGV[2]) then return 'ok' end
if noticed == 1 then return 'silent' end
redis.call('HSET', KEYS[1], 'noticed', 1)
return 'notice'
"""

#: KEYS: entry, ready set, and the sender's rate window when the message is to be counted,
#: then its chat's conversation when that is to be read as well. ARGV: event id, payload,
#: now, digest, worker ('' = none), lease end, worker-set prefix, rate window length, rate
#: expiry seconds. {ADDED, PENDING or DONE; the message's number in its window, counted only
#: when the event is new (else nil); and then the conversation's data and updated, if read}.
JOURNAL_ADD = COUNT_RATE + """
local status = redis.call('HGET', KEYS[1], 'status')
if status == 'pending' then
  redis.call('HSET', KEYS[1], 'payload', ARGV[2])
  return {'pending', false}
end
if status then return {status, false} end
if ARGV[5] == '' then
  redis.call('HSET', KEYS[1], 'event_id', ARGV[1], 'payload', ARGV[2], 'status', 'pending',
    'added', ARGV[3], 'available', ARGV[3], 'attempts', 0)
  redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
else
  redis.call('HSET', KEYS[1], 'event_id', ARGV[1], 'payload', ARGV[2], 'status', 'pending',
    'added', ARGV[3], 'available', ARGV[6], 'attempts', 1, 'worker', ARGV[5])
  redis.call('ZADD', KEYS[2], ARGV[6], ARGV[4])
  redis.call('SADD', ARGV[7] .. ARGV[5], ARGV[4])
end
local count = false
if KEYS[3] then
  count = count_rate(KEYS[3], ARGV[3], ARGV[8], ARGV[9])
  redis.call('HSET', KEYS[1], 'rate_count', count)
end
if KEYS[4] then
  local row = redis.call('HMGET', KEYS[4], 'data', 'updated')
  return {'added', count, row[1], row[2]}
end
return {'added', count}
"""

#: KEYS: ready set. ARGV: entry prefix, worker-set prefix, now, worker, lease end,
#: max attempts, done expiry, one digest ('' = any).
#: {event id, payload, attempts} of the taken entry or {} ; and the count abandoned last.
JOURNAL_TAKE = """
local now = tonumber(ARGV[3])
local abandoned = 0
while true do
  local digest
  if ARGV[8] ~= '' then
    local score = redis.call('ZSCORE', KEYS[1], ARGV[8])
    if score and tonumber(score) <= now then digest = ARGV[8] end
  else
    digest = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[3], 'LIMIT', 0, 1)[1]
  end
  if not digest then return {false, abandoned} end
  local entry = ARGV[1] .. digest
  local row = redis.call('HMGET', entry, 'status', 'attempts', 'worker')
  if row[3] then redis.call('SREM', ARGV[2] .. row[3], digest) end
  if row[1] ~= 'pending' then
    redis.call('ZREM', KEYS[1], digest)
  elseif tonumber(row[2]) >= tonumber(ARGV[6]) then
    redis.call('ZREM', KEYS[1], digest)
    redis.call('HSET', entry, 'status', 'done', 'outcome', 'abandoned', 'finished', ARGV[3])
    redis.call('HDEL', entry, 'payload', 'worker')
    redis.call('EXPIRE', entry, ARGV[7])
    abandoned = abandoned + 1
  else
    local attempts = tonumber(row[2]) + 1
    redis.call('HSET', entry, 'worker', ARGV[4], 'available', ARGV[5], 'attempts', attempts)
    redis.call('ZADD', KEYS[1], ARGV[5], digest)
    redis.call('SADD', ARGV[2] .. ARGV[4], digest)
    local found = redis.call('HMGET', entry, 'event_id', 'payload', 'rate_count')
    return {{found[1], found[2], attempts, found[3]}, abandoned}
  end
end
"""

#: KEYS: entry, ready set. ARGV: worker-set prefix, digest, outcome, now, done expiry. 1 or 0.
JOURNAL_DONE = """
local row = redis.call('HMGET', KEYS[1], 'status', 'worker')
if row[1] ~= 'pending' then return 0 end
if row[2] then redis.call('SREM', ARGV[1] .. row[2], ARGV[2]) end
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('HSET', KEYS[1], 'status', 'done', 'outcome', ARGV[3], 'finished', ARGV[4])
redis.call('HDEL', KEYS[1], 'payload', 'worker')
redis.call('EXPIRE', KEYS[1], ARGV[5])
return 1
"""

#: KEYS: ready set. ARGV: entry prefix, worker, lease end, digests... How many were extended.
JOURNAL_RENEW = """
local renewed = 0
for i = 4, #ARGV do
  local entry = ARGV[1] .. ARGV[i]
  local row = redis.call('HMGET', entry, 'status', 'worker')
  if row[1] == 'pending' and row[2] == ARGV[2] then
    redis.call('HSET', entry, 'available', ARGV[3])
    redis.call('ZADD', KEYS[1], ARGV[3], ARGV[i])
    renewed = renewed + 1
  end
end
return renewed
"""

#: KEYS: worker set, ready set. ARGV: entry prefix, worker, now. How many were released.
JOURNAL_RELEASE = """
local released = 0
for _, digest in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local entry = ARGV[1] .. digest
  local row = redis.call('HMGET', entry, 'status', 'worker')
  if row[1] == 'pending' and row[2] == ARGV[2] then
    redis.call('HDEL', entry, 'worker')
    redis.call('HSET', entry, 'available', ARGV[3])
    redis.call('ZADD', KEYS[2], ARGV[3], digest)
    released = released + 1
  end
end
redis.call('DEL', KEYS[1])
return released
"""

#: KEYS: conversation. ARGV: oldest updated kept. Deletes the conversation if older.
PURGE_CONVERSATION = """
local updated = redis.call('HGET', KEYS[1], 'updated')
if updated and tonumber(updated) < tonumber(ARGV[1]) then return redis.call('DEL', KEYS[1]) end
return 0
"""


def _number(value: float) -> str:
    """A float as Redis stores it: repr, which round-trips exactly."""
    return repr(float(value))


def _text(value: bytes | None) -> str | None:
    return None if value is None else value.decode("utf-8", "surrogatepass")


class RedisStateStore(StateBackend):
    """Conversation state, seen event ids, rate windows and the journal on a Redis server."""

    def __init__(
        self,
        url: str,
        hash_key: bytes,
        ttl: float = DEFAULT_TTL,
        prefix: str = PREFIX,
        lock_wait: float = LOCK_WAIT,
    ):
        self.url = url
        self.hash_key = hash_key
        self.ttl = ttl
        self.prefix = prefix
        self.lock_wait = lock_wait
        # Options in the URL (?socket_timeout=...) override these. One retry reconnects after
        # a dropped connection (a Redis restart). A timeout is not retried: the command may
        # have run and only its answer be late, and a script sent again would count a
        # message twice or lease a second event. (redis-py's Retry retries timeouts too
        # unless told which errors to retry.)
        self._client = redis.Redis.from_url(
            url,
            socket_timeout=SOCKET_TIMEOUT,
            socket_connect_timeout=SOCKET_TIMEOUT,
            retry=Retry(NoBackoff(), 1, supported_errors=(redis.ConnectionError,)),
        )
        register = self._client.register_script
        self._swap_script = register(SWAP)
        self._unlock_script = register(UNLOCK)
        self._rate_script = register(HIT_RATE)
        self._add_script = register(JOURNAL_ADD)
        self._take_script = register(JOURNAL_TAKE)
        self._done_script = register(JOURNAL_DONE)
        self._release_script = register(JOURNAL_RELEASE)
        self._renew_script = register(JOURNAL_RENEW)
        self._purge_script = register(PURGE_CONVERSATION)

    # -- key names --

    def _conversation(self, key: str) -> str:
        return f"{self.prefix}conv:{key}"

    def _entry_prefix(self) -> str:
        return f"{self.prefix}journal:"

    def _ready(self) -> str:
        return f"{self.prefix}journal-ready"

    def _worker_prefix(self) -> str:
        return f"{self.prefix}journal-worker:"

    def _rate(self, key: str) -> str:
        return f"{self.prefix}rate:{key}"

    def _conversation_expiry(self) -> int:
        return int(self.ttl) + EXPIRY_MARGIN

    # -- conversation state --

    def load(self, key: str, now: float | None = None) -> State:
        """The state saved for `key`, or a fresh one if none or idle longer than the TTL."""
        now = time.time() if now is None else now
        data, updated = self._read_conversation(key)
        return self._state_of(_text(data), None if updated is None else float(updated), now)

    def _read_conversation(self, key: str) -> tuple[bytes | None, bytes | None]:
        data, updated = self._client.hmget(self._conversation(key), "data", "updated")
        return data, updated

    def save(self, key: str, state: State, now: float | None = None) -> None:
        """Store `state` for `key`, stamped with the current time."""
        now = time.time() if now is None else now
        name = self._conversation(key)
        pipe = self._client.pipeline(transaction=True)
        pipe.hset(name, mapping={"data": json.dumps(state.to_dict()), "updated": _number(now)})
        pipe.expire(name, self._conversation_expiry())
        pipe.execute()

    def update(self, key: str, compute, now: float | None = None,
               first: tuple | None = None):
        """Load, `compute(state) -> (result, new_state)`, compare-and-swap; return `result`.

        See `StateBackend.update`; the swap is the SWAP script. `compute` runs at most
        UPDATE_TRIES + 1 times: the last try holds the conversation's lock (or has waited
        `lock_wait` for it), and if its swap is refused as well the answer still goes out,
        its new state not saved (a warning says so).
        """
        for _attempt in range(UPDATE_TRIES):
            result, swapped = self._try_update(key, compute, now, token="", row=first)
            first = None
            if swapped:
                return result
            logger.info("state: another worker updated this conversation; answering again")
        # Still contended: one read-compute-write under the lock, so it cannot starve.
        token = self._lock(key)
        try:
            result, swapped = self._try_update(key, compute, now, token)
        finally:
            if token:
                self._unlock_script(keys=[self._lock_name(key)], args=[token])
        if not swapped:
            logger.warning("state: conversation still contended; this answer's new state is not saved")
        return result

    def _try_update(self, key: str, compute, now: float | None, token: str,
                    row: tuple | None = None):
        """One read (unless `row` is one), compute and swap (as the lock holder if `token`):
        (result, swapped)."""
        stamp = time.time() if now is None else now
        data, updated = row if row is not None else self._read_conversation(key)
        state = self._state_of(_text(data), None if updated is None else float(updated), stamp)
        result, new_state = compute(state)
        swapped = self._swap_script(
            keys=[self._conversation(key), self._lock_name(key)],
            args=[
                data or b"",
                updated or b"",
                json.dumps(new_state.to_dict()),
                _number(stamp),
                self._conversation_expiry(),
                token,
            ],
        )
        return result, bool(swapped)

    def _lock_name(self, key: str) -> str:
        return f"{self.prefix}lock:{key}"

    def _lock(self, key: str) -> str:
        """Take this conversation's update lock, waiting up to `lock_wait` for another
        holder; its token, or '' if the wait ran out."""
        token = secrets.token_hex(8)
        deadline = time.monotonic() + self.lock_wait
        while not self._client.set(self._lock_name(key), token, nx=True, px=LOCK_MS):
            if time.monotonic() >= deadline:
                return ""
            time.sleep(LOCK_POLL)
        return token

    def forget(self, key: str) -> None:
        """Delete the state for `key` (unfollow, leave)."""
        self._client.delete(self._conversation(key))

    # -- webhook events and senders --

    def claim_event(self, event_id: str, now: float | None = None) -> bool:
        """True the first time `event_id` is seen by any host, False for a redelivery."""
        name = f"{self.prefix}seen:{event_digest(event_id)}"
        return bool(self._client.set(name, b"1", nx=True, ex=SEEN_EVENT_TTL))

    def hit_rate(
        self, key: str, limit: int, window: float = 60.0, now: float | None = None
    ) -> str:
        """Count one message for `key`: "ok", "notice" (first over the limit) or "silent"."""
        now = time.time() if now is None else now
        verdict = self._rate_script(
            keys=[self._rate(key)],
            args=[_number(now), limit, _number(window), RATE_ROW_TTL],
        )
        return verdict.decode()

    # -- the event journal --

    def journal_add(self, event_id: str, payload: str, now: float | None = None,
                    worker: str | None = None, lease_seconds: float = 0.0,
                    rate: RateCount | None = None) -> str:
        """See `StateBackend.journal_add`: one script, the rate count included (`rate.count`
        is set for a new event), and with `rate.chat` that chat's saved state (`rate.row`),
        which saves the turn's `update` a round trip."""
        now = time.time() if now is None else now
        digest = event_digest(event_id)
        keys = [self._entry_prefix() + digest, self._ready()]
        if rate is not None:
            keys.append(self._rate(rate.key))
            if rate.chat is not None:
                keys.append(self._conversation(rate.chat))
        status, count, *row = self._add_script(
            keys=keys,
            args=[encode_payload(event_id), encode_payload(payload), _number(now), digest,
                  worker or "", _number(now + lease_seconds), self._worker_prefix(),
                  _number(rate.window if rate is not None else 0), RATE_ROW_TTL],
        )
        if rate is not None and count is not None:
            rate.count = int(count)
            if len(row) == 2:
                rate.row = tuple(row)
        return {b"added": ADDED, b"pending": PENDING}.get(status, DONE)

    def journal_take(
        self,
        worker: str,
        lease_seconds: float,
        now: float | None = None,
        event_id: str | None = None,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> JournalEntry | None:
        """See `StateBackend.journal_take`."""
        now = time.time() if now is None else now
        found, abandoned = self._take_script(
            keys=[self._ready()],
            args=[
                self._entry_prefix(),
                self._worker_prefix(),
                _number(now),
                worker,
                _number(now + lease_seconds),
                max_attempts,
                SEEN_EVENT_TTL,
                "" if event_id is None else event_digest(event_id),
            ],
        )
        if abandoned:
            logger.warning("journal: %d event(s) given up after %d attempts", abandoned, max_attempts)
        if not found:
            return None
        taken_id, payload, attempts, rate_count = found
        return JournalEntry(
            event_id=decode_payload(taken_id),
            payload=decode_payload(payload),
            status=PENDING,
            attempts=int(attempts),
            worker=worker,
            lease_until=now + lease_seconds,
            rate_count=None if rate_count is None else int(rate_count),
        )

    def journal_done(self, event_id: str, outcome: str, now: float | None = None) -> bool:
        """See `StateBackend.journal_done`."""
        return bool(self._done(event_id, outcome, time.time() if now is None else now))

    def journal_done_many(self, marks: list[tuple[str, str, float]]) -> int:
        """See `StateBackend.journal_done_many`: the DONE script for each, in one round trip
        (a pipeline first checks that the script is loaded: one mark is sent as it is)."""
        if len(marks) <= 1:
            return sum(bool(self._done(*mark)) for mark in marks)
        pipe = self._client.pipeline(transaction=False)
        for mark in marks:
            self._done(*mark, client=pipe)
        return sum(bool(done) for done in pipe.execute())

    def _done(self, event_id: str, outcome: str, now: float, client=None):
        """Run the DONE script for one event (queue it, with a pipeline as `client`)."""
        digest = event_digest(event_id)
        return self._done_script(
            keys=[self._entry_prefix() + digest, self._ready()],
            args=[self._worker_prefix(), digest, outcome, _number(now), SEEN_EVENT_TTL],
            client=client,
        )

    def journal_renew(self, worker: str, event_ids: list[str], lease_seconds: float,
                      now: float | None = None) -> int:
        """See `StateBackend.journal_renew`."""
        if not event_ids:
            return 0
        now = time.time() if now is None else now
        digests = [event_digest(event_id) for event_id in event_ids]
        return int(
            self._renew_script(
                keys=[self._ready()],
                args=[self._entry_prefix(), worker, _number(now + lease_seconds), *digests],
            )
        )

    def journal_release(self, worker: str, now: float | None = None) -> int:
        """See `StateBackend.journal_release`."""
        now = time.time() if now is None else now
        return int(
            self._release_script(
                keys=[self._worker_prefix() + worker, self._ready()],
                args=[self._entry_prefix(), worker, _number(now)],
            )
        )

    def journal_get(self, event_id: str) -> JournalEntry | None:
        """See `StateBackend.journal_get`."""
        row = self._client.hgetall(self._entry_prefix() + event_digest(event_id))
        if not row:
            return None
        worker = _text(row.get(b"worker"))
        payload = row.get(b"payload")
        return JournalEntry(
            event_id=decode_payload(row[b"event_id"]),
            payload=None if payload is None else decode_payload(payload),
            status=row[b"status"].decode(),
            attempts=int(row[b"attempts"]),
            worker=worker,
            lease_until=float(row[b"available"]) if worker is not None else None,
            outcome=_text(row.get(b"outcome")),
            rate_count=int(row[b"rate_count"]) if b"rate_count" in row else None,
        )

    # -- housekeeping --

    def purge(self, now: float | None = None) -> None:
        """Delete conversations idle past the TTL by `now`'s clock.

        Seen event ids, rate windows and done journal entries carry Redis expiries of their
        own; conversations do too, and this catches those whose logical TTL ran out first.
        """
        now = time.time() if now is None else now
        oldest = _number(now - self.ttl)
        for name in self._client.scan_iter(match=f"{self.prefix}conv:*", count=500):
            self._purge_script(keys=[name], args=[oldest])

    def checkpoint(self) -> None:
        """Nothing to do: Redis writes its own append-only file."""

    def close(self) -> None:
        """Close the connections of this process's pool."""
        self._client.close()

