import { generateJoinCode, isJoinCode, normalizeJoinCode } from '../../shared/domain/joinCode.ts';
import { fail, ok, type Result } from '../../shared/domain/errors.ts';
import { normalizeSetup } from '../../shared/domain/eventSetup.ts';
import { checkStepAxes, newStep } from '../../shared/domain/runSheet.ts';
import type { CreatedEvent, EventLinks, EventSetup } from '../../shared/schemas/event.ts';
import type { StoredEvent } from '../db/events.ts';
import type { JoinInfo } from '../../shared/protocol.ts';
import type { Handlers, Services } from '../context.ts';
import { newId, newSecret, secureRandomInt, unseal } from '../security.ts';

export function joinInfo(services: Pick<Services, 'config'>, code: string): JoinInfo {
  const base = services.config.publicUrl.replace(/\/+$/, '');
  return { url: `${base}/j/${code}`, address: `${base.replace(/^https?:\/\//, '')}/j`, code, qrUrl: `/api/qr/${code}.svg` };
}

/** The three staff secrets, in clear: known when the event is created, or unsealed with the lead's. */
export interface StaffSecrets {
  facilitator: string;
  cofacilitator: string;
  projector: string;
}

/** The other staff links, read back with the lead facilitator's own secret; null for any other secret. */
export function unsealLinks(stored: StoredEvent, leadSecret: string): StaffSecrets | null {
  const opened = stored.sealedLinks ? unseal(leadSecret, stored.sealedLinks) : null;
  if (!opened) return null;
  const others = JSON.parse(opened) as { cofacilitator: string; projector: string };
  return { facilitator: leadSecret, ...others };
}

export function eventLinks(services: Pick<Services, 'config'>, stored: StoredEvent, tokens: StaffSecrets): EventLinks {
  const base = services.config.publicUrl.replace(/\/+$/, '');
  const code = stored.info.joinCode;
  const join = joinInfo(services, code);
  return {
    // Secrets travel in the fragment: browsers never send it to a server, so it stays out of logs.
    facilitator: `${base}/console#${tokens.facilitator}`,
    cofacilitator: `${base}/console#${tokens.cofacilitator}`,
    projector: `${base}/projector#${tokens.projector}`,
    join: join.url,
    joinCode: code,
    qrUrl: join.qrUrl,
  };
}

function freshJoinCode(services: Services): string {
  for (;;) {
    const code = generateJoinCode(secureRandomInt);
    if (!services.repos.events.joinCodeTaken(code)) return code;
  }
}

/** Used by the command and by the seeding command line; the caller provides the transaction. */
export function createEvent(services: Services, setup: EventSetup, now: number): Result<CreatedEvent> {
  const { repos } = services;
  const info = normalizeSetup(setup, newId(), freshJoinCode(services));
  if (!setup.agenda.every((draft) => checkStepAxes(info.axes, draft.axes))) return fail('axis_unknown');
  const tokens = { facilitator: newSecret(), cofacilitator: newSecret(), projector: newSecret() };
  repos.events.insert({ info, tokens, createdAt: now });
  repos.questions.init(info.id, newSecret());
  setup.agenda.forEach((draft, i) => repos.steps.insert(info.id, newStep(newId(), draft), i));
  const stored: StoredEvent = { info, sealedLinks: null, currentStepId: null, message: null, projectedAxis: null, retention: { purgeOn: null, purgedOn: null } };
  services.logger.info('event created', { eventId: info.id, steps: setup.agenda.length });
  return ok({ event: info, links: eventLinks(services, stored, tokens) });
}

export const eventHandlers: Pick<Handlers, 'event:create' | 'event:lookup' | 'event:links'> = {
  'event:create'(ctx, setup) {
    return createEvent(ctx.services, setup, ctx.now);
  },

  'event:lookup'(ctx, { code }) {
    const normalized = normalizeJoinCode(code);
    if (!isJoinCode(normalized)) return fail('join_code_unknown');
    const stored = ctx.services.repos.events.byJoinCode(normalized);
    if (!stored) return fail('join_code_unknown');
    const { title, date, place, locale } = stored.info;
    return ok({ title, date, place, locale });
  },

  /** Only hashes are stored: the lead's own secret (the one this socket came with) opens the others. */
  'event:links'(ctx, { eventId }) {
    const stored = ctx.services.repos.events.get(eventId);
    const tokens = stored && ctx.token ? unsealLinks(stored, ctx.token) : null;
    if (!stored || !tokens) return fail('event_not_found');
    return ok(eventLinks(ctx.services, stored, tokens));
  },
};
