-- Board steps say which axes are open for writing (NULL: every axis of the event).
ALTER TABLE steps ADD COLUMN axes TEXT;
