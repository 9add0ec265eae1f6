import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEventWithStaff, joinAs, tokenOf } from './fixtures.ts';
import { must, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('[PV1] logs and storage hold no personal data', () => {
  it('logs no IP address, user agent, token, name or typed text', async () => {
    const { created, code, eventId, facilitator } = await createEventWithStaff(h);
    const p = await joinAs(h, code, 'Mireille Tremblay');
    await must(p.socket, 'profile:set', { eventId, consent: true, profile: { territory: 'Kamouraska' } });
    await must(facilitator.socket, 'message:send', { eventId, text: 'Message très privé' });
    await must(facilitator.socket, 'step:start', { eventId, stepId: facilitator.snapshot.steps?.[0]?.id ?? null });
    const logs = h.logs.join('\n');
    expect(h.logs.length).toBeGreaterThan(0);
    for (const secret of [
      '127.0.0.1',
      '::1',
      'Mireille',
      'Tremblay',
      'Kamouraska',
      'Message très privé',
      'node-XMLHttpRequest',
      'websocket',
      p.joined.token,
      tokenOf(created.links.facilitator),
    ]) {
      expect(logs).not.toContain(secret);
    }
    for (const line of h.logs) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('stores only a hash of participant tokens, and the day of joining, not the time', async () => {
    const { code } = await createEventWithStaff(h);
    const p = await joinAs(h, code);
    const row = h.db.prepare('SELECT * FROM participants').get() as Record<string, unknown>;
    expect(JSON.stringify(row)).not.toContain(p.joined.token);
    expect(row.joined_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
