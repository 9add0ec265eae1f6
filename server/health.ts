/**
 * [HR-DB] Whether the server can write: the last command's transaction, and the boards' pending
 * writes. /api/health answers 503 while either fails, so a supervisor or the console can say so;
 * it recovers by itself once a write goes through again.
 */
export class Health {
  #commandsFailing = false;

  /** A command's transaction failed for a reason of the store (full disk, locked file). */
  writeFailed(): void {
    this.#commandsFailing = true;
  }

  /** A command's transaction committed. */
  wrote(): void {
    this.#commandsFailing = false;
  }

  report(boardsStored: boolean): { ok: boolean; commands: boolean; boards: boolean } {
    return { ok: !this.#commandsFailing && boardsStored, commands: !this.#commandsFailing, boards: boardsStored };
  }
}
