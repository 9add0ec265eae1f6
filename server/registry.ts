/**
 * Every command's definition, by name. A command of the protocol without a definition does not
 * compile (see `Missing`); the permission table is read off the definitions.
 */
import type { CommandName } from '../shared/protocol.ts';
import type { CommandDefinition } from './command.ts';
import { boardCommands } from './features/boards.ts';
import { breakoutCommands } from './features/breakouts.ts';
import { evaluationCommands } from './features/evaluations.ts';
import { eventCommands } from './features/events.ts';
import { faqCommands } from './features/faq.ts';
import { messageCommands } from './features/messages.ts';
import { participantCommands } from './features/participants.ts';
import { questionCommands } from './features/questions.ts';
import { retentionCommands } from './features/retention.ts';
import { runSheetCommands } from './features/runsheet.ts';
import { timerCommands } from './features/timer.ts';
import { voteCommands } from './features/votes.ts';
import type { Rule } from './permissions.ts';

const all = [
  ...eventCommands,
  ...participantCommands,
  ...runSheetCommands,
  ...timerCommands,
  ...messageCommands,
  ...boardCommands,
  ...breakoutCommands,
  ...voteCommands,
  ...questionCommands,
  ...faqCommands,
  ...evaluationCommands,
  ...retentionCommands,
] as const;

type Missing = Exclude<CommandName, (typeof all)[number]['name']>;
/** Names the commands of the protocol that have no definition, if any: then this line does not compile. */
const everyCommandDefined: [Missing] extends [never] ? true : { missing: Missing } = true;
void everyCommandDefined;

function byName(): { [N in CommandName]: CommandDefinition<N> } {
  const out: Partial<Record<CommandName, CommandDefinition>> = {};
  for (const def of all as readonly CommandDefinition[]) {
    if (out[def.name]) throw new Error(`Command ${def.name} is defined twice`);
    out[def.name] = def;
  }
  return out as { [N in CommandName]: CommandDefinition<N> };
}

export const definitions = byName();

/** The permission table: every command's rule, deny by default (docs/PROTOCOL.md lists it). */
export const permissions: Record<CommandName, Rule> = Object.fromEntries(Object.values(definitions).map((d) => [d.name, d.who])) as Record<CommandName, Rule>;
