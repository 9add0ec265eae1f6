-- A receipt belongs to the command and the person (or staff role) that sent it: a command id reused by
-- someone else, or for another command, is refused instead of answered with the first result. Only a
-- hash of command, sender and command id is kept (see receipts.ts): it names nobody, and since the id
-- is random it ties no two receipts together. Receipts written before have no owner ('').
ALTER TABLE command_receipts ADD COLUMN owner TEXT NOT NULL DEFAULT '';
ALTER TABLE anonymous_receipts ADD COLUMN owner TEXT NOT NULL DEFAULT '';
