/**
 * Who is connected now, in memory only: participant id -> open sockets. Updates to the console and
 * projector are coalesced, so that 150 people joining in a minute make a few broadcasts, not 150.
 */
export class Presence {
  #sockets = new Map<string, Map<string, number>>();
  #pending = new Set<string>();
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;

  constructor(
    private readonly publish: (eventId: string) => void,
    private readonly coalesceMs = 150,
  ) {}

  connect(eventId: string, participantIds: readonly string[]): void {
    let byEvent = this.#sockets.get(eventId);
    if (!byEvent) this.#sockets.set(eventId, (byEvent = new Map()));
    for (const id of participantIds) byEvent.set(id, (byEvent.get(id) ?? 0) + 1);
    this.changed(eventId);
  }

  disconnect(eventId: string, participantIds: readonly string[]): void {
    const byEvent = this.#sockets.get(eventId);
    if (!byEvent) return;
    for (const id of participantIds) {
      const n = (byEvent.get(id) ?? 0) - 1;
      if (n <= 0) byEvent.delete(id);
      else byEvent.set(id, n);
    }
    if (byEvent.size === 0) this.#sockets.delete(eventId);
    this.changed(eventId);
  }

  connected(eventId: string): number {
    return this.#sockets.get(eventId)?.size ?? 0;
  }

  /** Schedules one broadcast for the event (joins and profile answers change the counts too). */
  changed(eventId: string): void {
    if (this.#stopped) return;
    this.#pending.add(eventId);
    if (this.#timer) return;
    this.#timer = setTimeout(() => this.flush(), this.coalesceMs);
  }

  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const events = [...this.#pending];
    this.#pending.clear();
    for (const id of events) this.publish(id);
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#pending.clear();
  }
}
