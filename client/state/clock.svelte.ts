/**
 * The server's time as seen from this device. Timers are stored as server epoch milliseconds, so
 * every screen shows the same remaining time whatever its own clock says.
 */
class ServerClock {
  /** serverNow − Date.now(), measured on the last message that carried serverNow. */
  offset = $state(0);
  /** Ticks only while some timer on screen is running (see `watch`). */
  now = $state(Date.now());

  #watchers = 0;
  #interval: ReturnType<typeof setInterval> | null = null;

  sync(serverNow: number): void {
    this.offset = serverNow - Date.now();
    this.now = serverNow;
  }

  /**
   * A running timer calls this while it is on screen; the returned function stops watching.
   * Four ticks a second keep the seconds display in step with the server without drifting.
   */
  watch(): () => void {
    this.#watchers++;
    if (!this.#interval) {
      this.#tick();
      this.#interval = setInterval(() => this.#tick(), 250);
    }
    return () => {
      this.#watchers--;
      if (this.#watchers <= 0 && this.#interval) {
        clearInterval(this.#interval);
        this.#interval = null;
        this.#watchers = 0;
      }
    };
  }

  #tick(): void {
    this.now = Date.now() + this.offset;
  }
}

export const serverClock = new ServerClock();
