/**
 * Coalesced broadcasts: however many changes arrive for one key (a vote's tallies, a question's
 * supports), its screens hear at most one update per interval, with the state at that moment.
 */
export class Coalescer {
  readonly #timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly everyMs: number,
    private readonly publish: (eventId: string, key: string) => void,
  ) {}

  schedule(eventId: string, key: string): void {
    if (this.#timers.has(key)) return;
    this.#timers.set(
      key,
      setTimeout(() => {
        this.#timers.delete(key);
        this.publish(eventId, key);
      }, this.everyMs),
    );
  }

  stop(): void {
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
  }
}
