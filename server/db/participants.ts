import type { Db } from './index.ts';
import type { Me, Profile } from '../../shared/schemas/participant.ts';

interface ParticipantRow {
  id: string;
  event_id: string;
  display_name: string | null;
  consent: number | null;
  profile: string | null;
  added_by_facilitator: number;
}

export interface StoredParticipant {
  id: string;
  eventId: string;
  me: Me;
  addedByFacilitator: boolean;
}

function toParticipant(r: ParticipantRow): StoredParticipant {
  return {
    id: r.id,
    eventId: r.event_id,
    addedByFacilitator: r.added_by_facilitator === 1,
    me: {
      participantId: r.id,
      displayName: r.display_name,
      consent: r.consent === null ? null : r.consent === 1,
      profile: r.profile === null ? null : (JSON.parse(r.profile) as Profile),
    },
  };
}

export interface NewParticipant {
  id: string;
  eventId: string;
  tokenHash: string | null;
  deviceGroup: string | null;
  displayName: string | null;
  profile: Profile | null;
  addedByFacilitator: boolean;
  joinedOn: string;
}

export function participantsRepo(db: Db) {
  const insert = db.prepare(`INSERT INTO participants (id, event_id, token_hash, device_group, display_name, consent,
    profile, added_by_facilitator, joined_on) VALUES (@id, @eventId, @tokenHash, @deviceGroup, @displayName, @consent,
    @profile, @added, @joinedOn)`);
  const cols = 'id, event_id, display_name, consent, profile, added_by_facilitator';
  const byTokenHash = db.prepare<[string], ParticipantRow>(`SELECT ${cols} FROM participants WHERE token_hash = ?`);
  const byId = db.prepare<[string, string], ParticipantRow>(`SELECT ${cols} FROM participants WHERE id = ? AND event_id = ?`);
  const addedList = db.prepare<[string], ParticipantRow>(`SELECT ${cols} FROM participants WHERE event_id = ? AND added_by_facilitator = 1 ORDER BY rowid`);
  const rename = db.prepare<[string | null, string]>('UPDATE participants SET display_name = ? WHERE id = ?');
  const setProfile = db.prepare<[number, string | null, string]>('UPDATE participants SET consent = ?, profile = ? WHERE id = ?');
  const count = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM participants WHERE event_id = ?');
  const byCategory = db.prepare<[string], { category: string | null; n: number }>(
    `SELECT CASE WHEN consent = 1 THEN json_extract(profile, '$.category') END AS category, count(*) AS n
     FROM participants WHERE event_id = ? GROUP BY 1`,
  );

  const everyone = db.prepare<[string], ParticipantRow & { device_group: string | null }>(
    `SELECT ${cols}, device_group FROM participants WHERE event_id = ? ORDER BY id`,
  );

  return {
    /** Everyone in the event, with the device they share (if any): for placing people in groups. */
    people(eventId: string): (StoredParticipant & { unit: string })[] {
      return everyone.all(eventId).map((r) => ({ ...toParticipant(r), unit: r.device_group ?? r.id }));
    },
    insert(p: NewParticipant): void {
      insert.run({
        id: p.id,
        eventId: p.eventId,
        tokenHash: p.tokenHash,
        deviceGroup: p.deviceGroup,
        displayName: p.displayName,
        consent: p.profile ? 1 : null,
        profile: p.profile ? JSON.stringify(p.profile) : null,
        added: p.addedByFacilitator ? 1 : 0,
        joinedOn: p.joinedOn,
      });
    },
    byTokenHash(hash: string): StoredParticipant | undefined {
      const r = byTokenHash.get(hash);
      return r && toParticipant(r);
    },
    get(eventId: string, id: string): StoredParticipant | undefined {
      const r = byId.get(id, eventId);
      return r && toParticipant(r);
    },
    addedByFacilitator(eventId: string): StoredParticipant[] {
      return addedList.all(eventId).map(toParticipant);
    },
    rename(id: string, displayName: string | null): void {
      rename.run(displayName, id);
    },
    setProfile(id: string, consent: boolean, profile: Profile | null): void {
      setProfile.run(consent ? 1 : 0, consent && profile ? JSON.stringify(profile) : null, id);
    },
    count(eventId: string): number {
      return count.get(eventId)?.n ?? 0;
    },
    /** Joined people by category; `null` gathers those who skipped or did not say. */
    countByCategory(eventId: string): { category: string | null; n: number }[] {
      return byCategory.all(eventId);
    },
  };
}
