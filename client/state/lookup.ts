import type { CommandResults } from '../../shared/protocol.ts';

export type EventPreview = CommandResults['event:lookup'];

/** What a join code led to, so that the join page does not ask the server again right away. */
export const previews = new Map<string, EventPreview>();
