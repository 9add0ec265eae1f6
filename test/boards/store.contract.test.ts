import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../server/db/index.ts';
import { sqliteBoardStore } from '../../server/db/boards.ts';
import { createRepos } from '../../server/db/repos.ts';
import { CONTRACT_EVENTS, runBoardStoreContract } from './store.contract.ts';

/** The SQLite store on a real file, with the events its foreign keys ask for. */
runBoardStoreContract('SQLite (a real file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'concerto-store-'));
  const file = join(dir, 'concerto.db');
  let db: Db = openDatabase(file);
  const { events } = createRepos(db);
  for (const [i, id] of CONTRACT_EVENTS.entries()) {
    const info = {
      id,
      joinCode: `CONTRAT${i}`,
      title: 'Contrat',
      date: null,
      place: null,
      locale: 'fr-CA' as const,
      axes: [],
      territories: [],
      categories: [],
      allowNamedContributions: false,
    };
    events.insert({ info, tokens: { facilitator: `fac-secret-${i}`, cofacilitator: `cofac-secret-${i}`, projector: `proj-secret-${i}` }, createdAt: 0 });
  }
  return {
    store: sqliteBoardStore(db),
    reopen() {
      db.close();
      db = openDatabase(file);
      return sqliteBoardStore(db);
    },
    dispose() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
