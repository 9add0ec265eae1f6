-- The axis the projector shows during a board step (NULL: it turns through the open axes).
ALTER TABLE events ADD COLUMN projected_axis TEXT;

-- Facilitators' edits and moves are logged too, beside hiding and showing again.
CREATE TABLE moderation_log_next (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  board TEXT NOT NULL,
  card_id TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('hide', 'show', 'edit', 'move', 'promote')),
  reason TEXT,
  at INTEGER NOT NULL
) STRICT;
INSERT INTO moderation_log_next (id, event_id, board, card_id, action, reason, at)
  SELECT id, event_id, board, card_id, action, reason, at FROM moderation_log;
DROP TABLE moderation_log;
ALTER TABLE moderation_log_next RENAME TO moderation_log;
CREATE INDEX moderation_log_event ON moderation_log(event_id, id);
