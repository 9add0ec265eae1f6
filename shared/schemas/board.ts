import { z } from 'zod';
import { isSafeText } from '../domain/text.ts';
import { Id, Key, text } from './common.ts';
import { CARD_COLOURS, HIDE_REASONS, MAX_CARD_TEXT } from './limits.ts';

export { CARD_COLOURS, HIDE_REASONS, MAX_CARD_TEXT };

/**
 * A board is a Yjs document: `cards` (card id -> Card), `clusters` (cluster id -> Cluster) and
 * `meta` (`locked`). Values are plain JSON replaced whole, so that every change can be checked
 * against these schemas before it reaches anyone else.
 */
export const MAX_CARDS_PER_BOARD = 2000;
export const MAX_CLUSTERS_PER_BOARD = 200;
/** Bytes: one update, and a whole document. */
export const MAX_UPDATE_BYTES = 64 * 1024;
export const MAX_DOC_BYTES = 2 * 1024 * 1024;

export const CardOrigin = z.strictObject({
  /** Where it was promoted from: a group board, or the plenary itself. */
  scope: z.string().max(80),
  axis: Key,
  /** Cards merged into this one, kept for the record. */
  cardIds: z.array(z.string().max(64)).max(200),
});

export const Card = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  /** [HR-TEXT] Written through the shared document, so checked, not cleaned: the client cleans before it writes. */
  text: z.string().min(1).max(MAX_CARD_TEXT).refine(isSafeText),
  axis: Key,
  colour: z.enum(CARD_COLOURS),
  /** Hash of a random token kept only on the author's device: proves authorship, links nothing. */
  ownerHash: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/)
    .optional(),
  /** Only where the event allows named cards and the author chose to sign. */
  author: z.string().min(1).max(40).optional(),
  hidden: z.strictObject({ reason: z.enum(HIDE_REASONS) }).optional(),
  clusterId: z.string().max(64).optional(),
  origin: CardOrigin.optional(),
  /** On a group card reported back: the id of the card it became on the plenary board. */
  promotedTo: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/)
    .optional(),
});
export type Card = z.infer<typeof Card>;

export const Cluster = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  title: z.string().min(1).max(80).refine(isSafeText),
});
export type Cluster = z.infer<typeof Cluster>;

export const BoardMeta = z.strictObject({ locked: z.boolean().optional() });

/** `board:<eventId>:plenary:<axisKey>` or `board:<eventId>:group-<groupId>:<axisKey>`. */
export const BoardName = z.string().regex(/^board:[A-Za-z0-9_-]{8,64}:(plenary|group-[A-Za-z0-9_-]{1,64}):[a-z0-9][a-z0-9-]{0,39}$/);

export const BoardRef = z.object({ eventId: Id, scope: z.string(), axis: Key });

/** The secret a device keeps for each card it wrote; only its hash is on the card. */
export const CardToken = z.string().regex(/^[A-Za-z0-9_-]{22,64}$/);

export const CardEdit = z.object({
  eventId: Id,
  cid: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/)
    .optional(),
  board: BoardName,
  cardId: Card.shape.id,
  cardToken: CardToken,
  changes: z.strictObject({ text: text(1, MAX_CARD_TEXT), colour: Card.shape.colour }).partial(),
});

export const CardRemove = z.object({
  eventId: Id,
  cid: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/)
    .optional(),
  board: BoardName,
  cardId: Card.shape.id,
  cardToken: CardToken,
});

/** A facilitator moves a card to the board of another axis, in the same scope (plenary or group). */
export const CardMove = z.object({
  eventId: Id,
  cid: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/)
    .optional(),
  board: BoardName,
  cardId: Card.shape.id,
  toAxis: Key,
});

/**
 * Report-back: a card, or a cluster with its cards, from a group board becomes one card on the
 * plenary board of the same axis, keeping its origin.
 */
export const BoardPromote = z
  .object({
    eventId: Id,
    cid: z
      .string()
      .regex(/^[A-Za-z0-9_-]{8,64}$/)
      .optional(),
    board: BoardName,
    cardId: Card.shape.id.optional(),
    clusterId: Cluster.shape.id.optional(),
  })
  .refine((p) => (p.cardId === undefined) !== (p.clusterId === undefined), { message: 'cardId or clusterId' });

/** Which axis the projector shows (null: it turns through the open axes by itself). */
export const BoardProject = z.object({ eventId: Id, axis: Key.nullable() });
