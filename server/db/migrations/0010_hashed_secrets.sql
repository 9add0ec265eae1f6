-- Staff links are no longer kept in clear: only their SHA-256 (as for participant tokens). The
-- co-facilitator and projector links are kept sealed with a key that only the lead facilitator's own
-- link gives, so that the lead can be shown them again. The values are converted by the upgrade
-- step of this version (server/db/upgrades.ts).
ALTER TABLE events RENAME COLUMN facilitator_token TO facilitator_hash;
ALTER TABLE events RENAME COLUMN cofacilitator_token TO cofacilitator_hash;
ALTER TABLE events RENAME COLUMN projector_token TO projector_hash;
ALTER TABLE events ADD COLUMN sealed_links TEXT;
