-- What facilitators hid or showed again on boards, with a reason category: the text of the card
-- stays on the board, nothing here says who wrote it.
CREATE TABLE moderation_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  board TEXT NOT NULL,
  card_id TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('hide', 'show')),
  reason TEXT,
  at INTEGER NOT NULL
) STRICT;
CREATE INDEX moderation_log_event ON moderation_log(event_id, id);
