import type { Db } from './index.ts';
import { boardsRepo } from './boards.ts';
import { eventsRepo } from './events.ts';
import { groupsRepo } from './groups.ts';
import { votesRepo } from './votes.ts';
import { questionsRepo } from './questions.ts';
import { evaluationsRepo } from './evaluations.ts';
import { participantsRepo } from './participants.ts';
import { receiptsRepo } from './receipts.ts';
import { stepsRepo } from './steps.ts';

export function createRepos(db: Db) {
  return {
    events: eventsRepo(db),
    participants: participantsRepo(db),
    steps: stepsRepo(db),
    receipts: receiptsRepo(db),
    boards: boardsRepo(db),
    groups: groupsRepo(db),
    votes: votesRepo(db),
    questions: questionsRepo(db),
    evaluations: evaluationsRepo(db),
  };
}
export type Repos = ReturnType<typeof createRepos>;
