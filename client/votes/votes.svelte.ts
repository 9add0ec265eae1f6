import { applyDot, spent } from '../../shared/domain/voting.ts';
import type { ServerEvents, Snapshot } from '../../shared/protocol.ts';
import type { MyDots, VoteView } from '../../shared/schemas/vote.ts';
import { send } from '../socket.ts';
import type { CommandOutcome, Outcome } from '../state/outcome.ts';

/** The current step's vote as this screen may see it, and a participant's own dots. */
class VoteState {
  vote = $state<VoteView | null>(null);
  mine = $state<MyDots | null>(null);
  /** Dot changes sent and not yet answered, by item: shown at once (optimistic), settled by the answer. */
  pending = $state<Record<string, number>>({});

  /** This person's dots on the current vote's items, the changes not yet answered included. */
  allocation = $derived.by(() => {
    // Rebuilt whole on each change and never mutated once returned: a plain Map, as applyDot takes.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const dots = new Map<string, number>();
    const vote = this.vote;
    if (!vote) return dots;
    const confirmed = this.mine?.stepId === vote.stepId ? this.mine.dots : {};
    for (const item of vote.items) {
      const n = (confirmed[item.id] ?? 0) + (this.pending[item.id] ?? 0);
      if (n > 0) dots.set(item.id, n);
    }
    return dots;
  });
  /** Dots this person may still place. */
  left = $derived(Math.max(0, (this.vote?.budget ?? 0) - spent(this.allocation)));

  dotsOn(itemId: string): number {
    return this.allocation.get(itemId) ?? 0;
  }

  /**
   * Places (+1) or takes back (−1) a dot. The shared rule answers at once when the budget or the cap
   * forbids it; otherwise the dot shows before the server's answer, which then replaces it.
   */
  async changeDot(eventId: string, itemId: string, delta: 1 | -1): Promise<Outcome<MyDots>> {
    const vote = this.vote;
    if (!vote) return { ok: false, code: 'vote_not_open' };
    const allowed = applyDot(this.allocation, itemId, delta, {
      budget: vote.budget,
      cap: vote.cap,
      open: vote.status === 'open',
      items: new Set(vote.items.map((i) => i.id)),
    });
    if (!allowed.ok) return allowed;
    this.pending[itemId] = (this.pending[itemId] ?? 0) + delta;
    const result = await send('vote:dot', { eventId, stepId: vote.stepId, itemId, delta });
    this.pending[itemId] = (this.pending[itemId] ?? 0) - delta;
    if (result.ok) this.mine = result.data;
    return result;
  }

  /** A configuration that changes nothing: the server prepares the step's vote if it has none. */
  prepare(eventId: string, stepId: string): Promise<CommandOutcome<'vote:configure'>> {
    return send('vote:configure', { eventId, stepId, changes: {} });
  }

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
