/**
 * How each command travels, read by the server (receipts) and the client (offline queue, command ids)
 * alike. Kept apart from protocol.ts so that the phone's first bundle does not carry the schemas.
 * Every command has an entry, or this does not compile.
 */
import type { CommandName } from './protocol.ts';

export interface CommandPolicy {
  /**
   * A receipt is kept under the command id, so a retry or a replayed offline queue is applied once,
   * and the client may queue it offline. false: its answer holds a secret, or it only reads; it is
   * sent only while connected, since a replay could create a second event or person.
   */
  receipt: boolean;
  /** The payload carries a command id. */
  cid: boolean;
  /** An anonymous contribution: its receipt is kept apart and timed to the hour. */
  anonymous: boolean;
}

const queued: CommandPolicy = { receipt: true, cid: true, anonymous: false };
const anonymous: CommandPolicy = { receipt: true, cid: true, anonymous: true };
/** Answers that hold secrets (links, a participant token): never replayed. */
const direct: CommandPolicy = { receipt: false, cid: true, anonymous: false };
/** Reads: no command id, no receipt. */
const read: CommandPolicy = { receipt: false, cid: false, anonymous: false };

export const commandPolicy: Record<CommandName, CommandPolicy> = {
  'event:create': direct,
  'event:lookup': read,
  'event:links': read,
  'event:rotate': direct,
  'participant:join': direct,
  'participant:rename': queued,
  'participant:add': queued,
  'profile:set': queued,
  'state:get': read,
  'step:add': queued,
  'step:update': queued,
  'step:remove': queued,
  'step:move': queued,
  'step:start': queued,
  'timer:control': queued,
  'message:send': queued,
  'board:card:edit': queued,
  'board:card:remove': queued,
  'board:card:move': queued,
  'board:promote': queued,
  'board:project': queued,
  'group:move': queued,
  'group:host': queued,
  'group:choose': queued,
  'group:done': queued,
  'group:message': queued,
  'breakout:round': queued,
  'breakout:phase': queued,
  'breakout:show': queued,
  'vote:item:add': queued,
  'vote:item:update': queued,
  'vote:item:remove': queued,
  'vote:items:merge': queued,
  'vote:import': queued,
  'vote:configure': queued,
  'vote:open': queued,
  'vote:dot': queued,
  'vote:close': queued,
  'vote:paper': queued,
  'vote:retain': queued,
  'vote:runoff': queued,
  'message:clear': queued,
  'question:ask': anonymous,
  'question:mine': read,
  'question:withdraw': anonymous,
  'question:support': anonymous,
  'question:moderate': queued,
  'question:merge': queued,
  'question:answer': queued,
  'questions:configure': queued,
  'faq:create': queued,
  'faq:update': queued,
  'faq:remove': queued,
  'faq:public': read,
  'evaluation:configure': queued,
  'evaluation:answer': anonymous,
  'evaluation:status': queued,
  'event:retention': queued,
  'event:purge': queued,
  'evaluation:moderate': queued,
};
