-- Board documents (Yjs): a compacted state per document, and the updates received since.
CREATE TABLE board_snapshots (
  doc TEXT PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  state BLOB NOT NULL
) STRICT;
CREATE INDEX board_snapshots_event ON board_snapshots(event_id);

CREATE TABLE board_updates (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  doc TEXT NOT NULL,
  event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  update_data BLOB NOT NULL
) STRICT;
CREATE INDEX board_updates_doc ON board_updates(doc, seq);
