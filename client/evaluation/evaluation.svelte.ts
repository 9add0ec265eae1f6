import type { ServerEvents, Snapshot } from '../../shared/protocol.ts';
import type { EvaluationView, MyEvaluation } from '../../shared/schemas/evaluation.ts';
import { send } from '../socket.ts';
import type { Outcome } from '../state/outcome.ts';

/** The current step's evaluation, and a participant's own answers to it. */
class EvaluationState {
  evaluation = $state<EvaluationView | null>(null);
  mine = $state<MyEvaluation | null>(null);

  /** Sends this person's answers (all of them, each time) and keeps what the server saved. */
  async answer(eventId: string, stepId: string, answers: Record<string, number | string | null>): Promise<Outcome<MyEvaluation>> {
    const result = await send('evaluation:answer', { eventId, stepId, answers });
    if (result.ok) this.mine = result.data;
    return result;
  }

  applySnapshot(snapshot: Snapshot): void {
    this.evaluation = snapshot.evaluation;
    this.mine = snapshot.myEvaluation;
  }

  updated({ evaluation }: ServerEvents['evaluation:updated']): void {
    this.evaluation = evaluation;
  }

  mineUpdated(mine: MyEvaluation): void {
    this.mine = mine;
  }

  clear(): void {
    this.evaluation = null;
    this.mine = null;
  }
}

export const evaluationState = new EvaluationState();
