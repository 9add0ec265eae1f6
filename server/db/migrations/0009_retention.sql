-- Retention (Loi 25): the day the personal data of an event is purged, and the day it was.
ALTER TABLE events ADD COLUMN purge_on TEXT;
ALTER TABLE events ADD COLUMN purged_on TEXT;

-- Figures about people frozen at the purge (participation and dots by category and territory, with
-- small cells already suppressed), so that the bilan keeps them once profiles are gone.
CREATE TABLE event_aggregates (
  event_id TEXT PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
  data TEXT NOT NULL
) STRICT;
