import type { ServerEvents, Snapshot } from '../../shared/protocol.ts';
import type { EvaluationView, MyEvaluation } from '../../shared/schemas/evaluation.ts';

/** The current step's evaluation, and a participant's own answers to it. */
class EvaluationState {
  evaluation = $state<EvaluationView | null>(null);
  mine = $state<MyEvaluation | null>(null);

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
