import type { ServerEvents, Snapshot } from '../../shared/protocol.ts';
import type { MyDots, VoteView } from '../../shared/schemas/vote.ts';

/** The current step's vote as this screen may see it, and a participant's own dots. */
class VoteState {
  vote = $state<VoteView | null>(null);
  mine = $state<MyDots | null>(null);

  applySnapshot(snapshot: Snapshot): void {
    this.vote = snapshot.vote;
    this.mine = snapshot.myDots;
  }

  voteUpdated({ vote }: ServerEvents['vote:updated']): void {
    this.vote = vote;
    // A new vote (or the items changed): the own dots follow in the next answer or snapshot.
    if (vote && this.mine && this.mine.stepId !== vote.stepId) this.mine = null;
  }

  tally({ stepId, tallies, voters }: ServerEvents['vote:tally']): void {
    if (this.vote?.stepId === stepId) this.vote = { ...this.vote, tallies, voters };
  }

  mineUpdated(mine: MyDots): void {
    this.mine = mine;
  }

  clear(): void {
    this.vote = null;
    this.mine = null;
  }
}

export const voteState = new VoteState();
