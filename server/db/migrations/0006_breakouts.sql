-- Breakout steps: how groups are made (JSON: mode, count or size, names, task, rounds, cap).
ALTER TABLE steps ADD COLUMN breakout TEXT;

-- The live state of a breakout step once started: the seed makes its assignment re-showable.
CREATE TABLE breakouts (
  step_id TEXT PRIMARY KEY REFERENCES steps(id) ON DELETE CASCADE,
  event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  seed TEXT NOT NULL,
  round INTEGER NOT NULL DEFAULT 1,
  phase TEXT NOT NULL DEFAULT 'groups' CHECK (phase IN ('groups', 'plenary')),
  -- The group the projector shows during the harvest (NULL: all of them).
  shown_group TEXT
) STRICT;

CREATE TABLE groups (
  id TEXT PRIMARY KEY,
  step_id TEXT NOT NULL REFERENCES breakouts(step_id) ON DELETE CASCADE,
  event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  number INTEGER NOT NULL,
  name TEXT,
  host_id TEXT REFERENCES participants(id) ON DELETE SET NULL,
  done INTEGER NOT NULL DEFAULT 0,
  message_text TEXT,
  message_sent_at INTEGER,
  UNIQUE (step_id, number)
) STRICT;
CREATE INDEX groups_event ON groups(event_id);

-- Who sits at which table, round by round.
CREATE TABLE group_members (
  step_id TEXT NOT NULL REFERENCES breakouts(step_id) ON DELETE CASCADE,
  round INTEGER NOT NULL,
  participant_id TEXT NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
  group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
  PRIMARY KEY (step_id, round, participant_id)
) STRICT;
CREATE INDEX group_members_group ON group_members(group_id, round);
