-- Dot votes: one per vote step. Items come from the boards (with their origin) or are typed.
CREATE TABLE votes (
  step_id TEXT PRIMARY KEY REFERENCES steps(id) ON DELETE CASCADE,
  event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
  mode TEXT NOT NULL DEFAULT 'hidden' CHECK (mode IN ('hidden', 'live')),
  -- NULL: the default rule (items ÷ 3, 1 to 20).
  budget INTEGER,
  cap INTEGER NOT NULL DEFAULT 3,
  -- A run-off names the vote it decides.
  runoff_of TEXT
) STRICT;

CREATE TABLE vote_items (
  id TEXT PRIMARY KEY,
  step_id TEXT NOT NULL REFERENCES votes(step_id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  text TEXT NOT NULL,
  axis TEXT,
  -- JSON { board, cardId?, clusterId?, scope, cardIds } when it came from a board.
  origin TEXT,
  -- NULL: not decided; 1 retained for the bilan; 0 not retained.
  retained INTEGER
) STRICT;
CREATE INDEX vote_items_step ON vote_items(step_id, position);

-- One row per person and item with dots on it: the budget and the cap are checked in the same
-- transaction that writes here.
CREATE TABLE dots (
  step_id TEXT NOT NULL REFERENCES votes(step_id) ON DELETE CASCADE,
  participant_id TEXT NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
  item_id TEXT NOT NULL REFERENCES vote_items(id) ON DELETE CASCADE,
  count INTEGER NOT NULL CHECK (count > 0),
  PRIMARY KEY (step_id, participant_id, item_id)
) STRICT;
CREATE INDEX dots_item ON dots(item_id);

-- Dots counted from paper posters: every entry and correction is kept (audit log); the latest entry
-- for an item and category is the one that counts.
CREATE TABLE paper_dots (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  step_id TEXT NOT NULL REFERENCES votes(step_id) ON DELETE CASCADE,
  item_id TEXT NOT NULL REFERENCES vote_items(id) ON DELETE CASCADE,
  -- NULL: a total without categories.
  category TEXT,
  count INTEGER NOT NULL CHECK (count >= 0),
  entered_by TEXT NOT NULL,
  at INTEGER NOT NULL
) STRICT;
CREATE INDEX paper_dots_item ON paper_dots(item_id, category, id);
