-- Questions, the FAQ and the evaluation. Anonymous means anonymous: no table here holds a participant
-- id, a device, an IP address, a browser or a precise time next to what someone asked or answered.

CREATE TABLE question_settings (
  event_id TEXT PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
  pre_moderation INTEGER NOT NULL DEFAULT 0,
  any_time INTEGER NOT NULL DEFAULT 0,
  spotlight TEXT,
  projector TEXT NOT NULL DEFAULT 'questions' CHECK (projector IN ('questions', 'faq')),
  -- The public read-only FAQ page's id (its link is shareable; it shows published entries only).
  faq_id TEXT NOT NULL UNIQUE
) STRICT;

-- Keyed by a random id (WITHOUT ROWID): rows are stored in no order that follows their arrival.
-- owner_hash: SHA-256 of a secret only the asking device holds, fresh for each question.
-- step_id: the step it was asked in, the only time kept (NULL: between steps).
CREATE TABLE questions (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  step_id TEXT,
  text TEXT NOT NULL,
  name TEXT,
  owner_hash TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'visible', 'hidden', 'merged', 'withdrawn')),
  hide_reason TEXT,
  merged_into TEXT,
  answer TEXT,
  answered_live INTEGER NOT NULL DEFAULT 0,
  theme TEXT,
  UNIQUE (event_id, seq)
) STRICT, WITHOUT ROWID;

-- One support per person and question, enforced here. supporter is a keyed hash (HMAC) of the
-- person's device token, which the server never stores: the database alone cannot tell who it is.
-- No time, no arrival order: the primary key sorts supporters by that hash.
CREATE TABLE question_supports (
  question_id TEXT NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
  supporter TEXT NOT NULL,
  PRIMARY KEY (question_id, supporter)
) STRICT, WITHOUT ROWID;

-- What facilitators did to questions (approve, hide with a reason, restore, merge); times to 5 minutes.
CREATE TABLE question_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  question_id TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('approve', 'hide', 'restore', 'merge')),
  reason TEXT,
  by_role TEXT NOT NULL,
  at INTEGER NOT NULL
) STRICT;
CREATE INDEX question_log_event ON question_log(event_id, id);

CREATE TABLE faq_entries (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  question TEXT NOT NULL,
  answer TEXT NOT NULL DEFAULT '',
  theme TEXT,
  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
  -- JSON array of the questions it was compiled from.
  question_ids TEXT NOT NULL
) STRICT;
CREATE INDEX faq_entries_event ON faq_entries(event_id, position);

-- One evaluation form per evaluation step.
CREATE TABLE evaluations (
  step_id TEXT PRIMARY KEY REFERENCES steps(id) ON DELETE CASCADE,
  event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  -- JSON array of { id, kind: scale | text, text }.
  items TEXT NOT NULL
) STRICT;

-- One response per person (respondent: a keyed hash of their device token, as for supports), with
-- the scale answers as JSON. Open answers are in evaluation_comments, to be moderated.
CREATE TABLE evaluation_responses (
  step_id TEXT NOT NULL REFERENCES evaluations(step_id) ON DELETE CASCADE,
  respondent TEXT NOT NULL,
  answers TEXT NOT NULL,
  PRIMARY KEY (step_id, respondent)
) STRICT, WITHOUT ROWID;

CREATE TABLE evaluation_comments (
  id TEXT PRIMARY KEY,
  step_id TEXT NOT NULL REFERENCES evaluations(step_id) ON DELETE CASCADE,
  item_id TEXT NOT NULL,
  respondent TEXT NOT NULL,
  text TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'hidden')),
  UNIQUE (step_id, item_id, respondent)
) STRICT, WITHOUT ROWID;

-- Receipts of anonymous commands (asking, supporting, answering the evaluation) are kept apart from
-- the others, whose answers can name a participant, and with their time floored to the hour.
CREATE TABLE anonymous_receipts (
  event_id TEXT NOT NULL,
  cid TEXT NOT NULL,
  result TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (event_id, cid)
) STRICT, WITHOUT ROWID;

-- Events made before this version get their settings (and a public FAQ id) now.
INSERT INTO question_settings (event_id, faq_id) SELECT id, lower(hex(randomblob(16))) FROM events;
