-- Events, their run sheet and the people who joined them.
CREATE TABLE events (
  id TEXT PRIMARY KEY,
  join_code TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  date TEXT,
  place TEXT,
  locale TEXT NOT NULL,
  axes TEXT NOT NULL,
  territories TEXT NOT NULL,
  categories TEXT NOT NULL,
  allow_named INTEGER NOT NULL DEFAULT 0,
  -- Capability links: kept in clear so that the lead facilitator can be shown them again.
  facilitator_token TEXT NOT NULL UNIQUE,
  cofacilitator_token TEXT NOT NULL UNIQUE,
  projector_token TEXT NOT NULL UNIQUE,
  current_step_id TEXT,
  message_text TEXT,
  message_sent_at INTEGER,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE participants (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  -- Only a hash of the device's secret token; NULL for people added by a facilitator.
  token_hash TEXT UNIQUE,
  -- Hash of a shared device's key: people on one tablet stay together.
  device_group TEXT,
  display_name TEXT,
  -- NULL: not asked yet; 0: skipped or withdrawn; 1: given.
  consent INTEGER,
  profile TEXT,
  added_by_facilitator INTEGER NOT NULL DEFAULT 0,
  -- The day only: nothing finer is needed.
  joined_on TEXT NOT NULL
) STRICT;
CREATE INDEX participants_event ON participants(event_id);

CREATE TABLE steps (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  notes TEXT NOT NULL DEFAULT '',
  minutes INTEGER NOT NULL,
  start TEXT,
  timer TEXT NOT NULL
) STRICT;
CREATE INDEX steps_event ON steps(event_id, position);

-- Results of commands already applied, by client command id, so that a retried or queued command
-- is applied once. No actor is stored: the id is random.
CREATE TABLE command_receipts (
  event_id TEXT NOT NULL,
  cid TEXT NOT NULL,
  result TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (event_id, cid)
) STRICT, WITHOUT ROWID;
