import { EventSetup, type EventSetupInput } from '../../shared/schemas/event.ts';
import { exampleSetup } from '../../shared/example.ts';
import { must, type Harness } from './harness.ts';

export const smallSetup: EventSetupInput = {
  title: 'Forum test',
  date: '2026-11-19',
  place: 'Rimouski',
  axes: [{ title: 'Approche systémique' }, { title: 'Inclusion sociale' }],
  territories: ['Kamouraska', 'La Mitis'],
  categories: [
    { key: 'citoyen', title: 'Personne citoyenne' },
    { key: 'communautaire', title: 'Organisme communautaire' },
  ],
  agenda: [
    { kind: 'plenary', title: 'Accueil', minutes: 20 },
    { kind: 'questions', title: 'Vos questions', minutes: 40, notes: 'Questions anonymes' },
    { kind: 'vote', title: 'Vote par gommettes', minutes: 30 },
  ],
};

export function tokenOf(link: string): string {
  return link.slice(link.indexOf('#') + 1);
}

/** Creates an event as a guest and connects its facilitator, co-facilitator and projector. */
export async function createEventWithStaff(h: Harness, setup: EventSetupInput = smallSetup) {
  const guest = await h.client();
  const created = await must(guest, 'event:create', setup);
  guest.disconnect();
  const facilitator = await h.member(tokenOf(created.links.facilitator));
  const cofacilitator = await h.member(tokenOf(created.links.cofacilitator));
  const projector = await h.member(tokenOf(created.links.projector));
  return { created, eventId: created.event.id, code: created.event.joinCode, facilitator, cofacilitator, projector };
}

export async function joinAs(h: Harness, code: string, displayName?: string) {
  const guest = await h.client();
  const joined = await must(guest, 'participant:join', displayName ? { code, displayName } : { code });
  guest.disconnect();
  const member = await h.member(joined.token);
  return { ...member, joined };
}

export const exampleEvent = (): EventSetupInput => EventSetup.parse(exampleSetup());
