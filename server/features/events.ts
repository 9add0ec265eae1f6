import { generateJoinCode, isJoinCode, normalizeJoinCode } from '../../shared/domain/joinCode.ts';
import { fail, ok, type Result } from '../../shared/domain/errors.ts';
import { normalizeSetup } from '../../shared/domain/eventSetup.ts';
import { checkStepAxes, newStep } from '../../shared/domain/runSheet.ts';
import type { CreatedEvent, EventLinks, EventSetup } from '../../shared/schemas/event.ts';
import type { StoredEvent } from '../db/events.ts';
import { command, done } from '../command.ts';
import type { AppConfig } from '../context.ts';
import type { Logger } from '../logger.ts';
import { anyone, isLeadFacilitator } from '../permissions.ts';
import type { Repos } from '../db/repos.ts';
import { joinInfo } from '../views/snapshot.ts';
import { newId, newSecret, secureRandomInt, unseal } from '../security.ts';

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

export function eventLinks(services: { config: AppConfig }, stored: StoredEvent, tokens: StaffSecrets): EventLinks {
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

function freshJoinCode(services: { repos: Repos }): string {
  for (;;) {
    const code = generateJoinCode(secureRandomInt);
    if (!services.repos.events.joinCodeTaken(code)) return code;
  }
}

/** Used by the command and by the seeding command line; the caller provides the transaction. */
export function createEvent(
  services: { repos: Repos; config: AppConfig; logger: Logger },
  setup: EventSetup,
  now: number,
): Result<CreatedEvent, 'axis_unknown'> {
  const { repos } = services;
  const info = normalizeSetup(setup, newId(), freshJoinCode(services));
  if (!setup.agenda.every((draft) => checkStepAxes(info.axes, draft.axes))) return fail('axis_unknown');
  const tokens = { facilitator: newSecret(), cofacilitator: newSecret(), projector: newSecret() };
  repos.events.insert({ info, tokens, createdAt: now });
  repos.questions.init(info.id, newSecret());
  setup.agenda.forEach((draft, i) => repos.steps.insert(info.id, newStep(newId(), draft), i));
  const stored: StoredEvent = {
    info,
    sealedLinks: null,
    currentStepId: null,
    message: null,
    projectedAxis: null,
    retention: { purgeOn: null, purgedOn: null },
  };
  services.logger.info('event created', { eventId: info.id, steps: setup.agenda.length });
  return ok({ event: info, links: eventLinks(services, stored, tokens) });
}

export const eventCommands = [
  command('event:create', anyone, (ctx, setup) => {
    const created = createEvent(ctx, setup, ctx.now);
    return created.ok ? done(created.data) : created;
  }),

  command('event:lookup', anyone, (ctx, { code }) => {
    const normalized = normalizeJoinCode(code);
    if (!isJoinCode(normalized)) return fail('join_code_unknown');
    const stored = ctx.repos.events.byJoinCode(normalized);
    if (!stored) return fail('join_code_unknown');
    const { title, date, place, locale } = stored.info;
    return done({ title, date, place, locale });
  }),

  /**
   * [HR-ROTATE] A staff link replaced by a fresh one: the old secret no longer opens anything, and the
   * screens that used it are signed out. Only the lead, whose own secret opens the others, can.
   */
  command('event:rotate', isLeadFacilitator, (ctx, { eventId, link }) => {
    const stored = ctx.repos.events.get(eventId);
    const tokens = stored && ctx.token ? unsealLinks(stored, ctx.token) : null;
    if (!stored || !tokens) return fail('event_not_found');
    const next: StaffSecrets = { ...tokens, [link]: newSecret() };
    ctx.repos.events.setStaffSecrets(eventId, next);
    ctx.logger.info('staff link rotated', { eventId, link });
    return done(eventLinks(ctx, stored, next), { type: 'staffLinkRotated', eventId, role: link });
  }),

  /** Only hashes are stored: the lead's own secret (the one this socket came with) opens the others. */
  command('event:links', isLeadFacilitator, (ctx, { eventId }) => {
    const stored = ctx.repos.events.get(eventId);
    const tokens = stored && ctx.token ? unsealLinks(stored, ctx.token) : null;
    if (!stored || !tokens) return fail('event_not_found');
    return done(eventLinks(ctx, stored, tokens));
  }),
] as const;
