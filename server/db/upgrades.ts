import type { Db } from './index.ts';
import { hashSecret, seal } from '../security.ts';

/**
 * Steps that SQL alone cannot do, run after a version's SQL in the same transaction.
 * 10: staff links were kept in clear; keep their hashes, and the other links sealed with the lead's.
 */
export const UPGRADES: Record<number, (db: Db) => void> = {
  10(db) {
    const rows = db
      .prepare<[], { id: string; facilitator_hash: string; cofacilitator_hash: string; projector_hash: string }>(
        'SELECT id, facilitator_hash, cofacilitator_hash, projector_hash FROM events',
      )
      .all();
    const update = db.prepare<[string, string, string, string, string]>(
      'UPDATE events SET facilitator_hash = ?, cofacilitator_hash = ?, projector_hash = ?, sealed_links = ? WHERE id = ?',
    );
    for (const r of rows) {
      const sealed = seal(r.facilitator_hash, JSON.stringify({ cofacilitator: r.cofacilitator_hash, projector: r.projector_hash }));
      update.run(hashSecret(r.facilitator_hash), hashSecret(r.cofacilitator_hash), hashSecret(r.projector_hash), sealed, r.id);
    }
  },
};
