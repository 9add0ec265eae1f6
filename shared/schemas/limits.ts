/**
 * Constants the client needs without the schemas (and so without zod, which stays out of the
 * participant's bundle). The schemas use the same values.
 */
export const CARD_COLOURS = ['yellow', 'blue', 'green', 'pink', 'orange', 'white'] as const;
export const MAX_CARD_TEXT = 280;
export const HIDE_REASONS = ['off-topic', 'personal-data', 'disrespectful', 'duplicate', 'other'] as const;
export const ASSIGN_MODES = ['random', 'balanced', 'peer', 'self', 'manual'] as const;
export const VOTE_MODES = ['hidden', 'live'] as const;
export const MAX_VOTE_ITEMS = 200;
export const MAX_QUESTION_TEXT = 500;
export const QUESTION_SORTS = ['support', 'recent'] as const;
export const MAX_EVALUATION_TEXT = 1000;
export const EVALUATION_SCALE = 5;
/**
 * The largest command a client may send, in bytes of JSON: an event created with a long agenda is
 * the largest legitimate one. Socket.IO's buffer is set just above it (server/app.ts).
 */
export const MAX_COMMAND_BYTES = 200 * 1024;
/**
 * How screens reconnect after a network loss or a server restart: Socket.IO's back-off, from 1 s up
 * to 5 s, each delay randomised by ±50 % so that a room of phones does not come back in one wave.
 */
export const RECONNECT = { reconnectionDelay: 1000, reconnectionDelayMax: 5000, randomizationFactor: 0.5 } as const;
