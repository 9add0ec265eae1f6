import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { startHarness, type Harness } from '../integration/harness.ts';

/**
 * The server a hostile test attacks: a real one on a SQLite file of its own, with the board clients a
 * test opens closed after each test. Call at the top of a test file; use `room.h` inside tests.
 */
export function hostileRoom(name: string) {
  let dir = '';
  const room = {
    h: undefined as unknown as Harness,
    /** Board clients to close after each test (pass it to openBoard). */
    providers: [] as WebsocketProvider[],
  };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `concerto-hostile-${name}-`));
    room.h = await startHarness({ dbFile: join(dir, 'concerto.db') });
  });
  afterEach(() => {
    for (const p of room.providers.splice(0)) p.destroy();
  });
  afterAll(async () => {
    await room.h.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return room;
}
