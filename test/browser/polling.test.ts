/**
 * [HR-POLL] A phone on a network that refuses websockets (a proxy that drops every upgrade, as many
 * company, school and hotel networks do): the app falls back to long-polling, joins, and follows the
 * step a facilitator starts.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { EventSetupInput } from '../../shared/schemas/event.ts';
import { browserSuite, guestCommand, pathOf } from './helpers.ts';

const chromiumPath = inject('chromiumPath');

const setup: EventSetupInput = {
  title: 'Forum sans websocket',
  date: '2026-11-19',
  place: 'Rimouski',
  axes: [{ title: 'Approche systémique' }],
  territories: ['Kamouraska'],
  categories: [{ key: 'citoyen', title: 'Personne citoyenne' }],
  agenda: [{ kind: 'plenary', title: 'Mot de bienvenue', minutes: 10, notes: 'On commence à 9 h.' }],
};

describe.skipIf(!chromiumPath)('browser: a network that refuses websockets', () => {
  const suite = browserSuite(chromiumPath ?? '');
  let proxy: Server;
  let proxyUrl = '';
  let upgradesRefused = 0;
  let pollsForwarded = 0;

  beforeAll(async () => {
    const target = new URL(suite.url);
    proxy = createServer((req, res) => {
      if (req.url?.startsWith('/socket.io/')) pollsForwarded++;
      const forward = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', () => res.destroy());
      req.pipe(forward);
    });
    // Every websocket upgrade is dropped, as a filtering proxy does.
    proxy.on('upgrade', (_req, socket) => {
      upgradesRefused++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    proxy.closeAllConnections();
    await new Promise((resolve) => proxy.close(resolve));
  });

  it('[HR-POLL] the phone joins over long-polling and follows the step a facilitator starts', async () => {
    const created = await guestCommand(suite.url, 'event:create', setup);
    const phone = await suite.joinPhone(created, 'Rose', { base: proxyUrl });
    expect(upgradesRefused).toBeGreaterThan(0);
    expect(pollsForwarded).toBeGreaterThan(0);
    const facilitator = await suite.desktop({ width: 1280, height: 900 });
    await facilitator.goto(`${suite.url}${pathOf(created.links.facilitator)}`);
    await facilitator.getByRole('button', { name: suite.startLabel('Mot de bienvenue') }).click();
    await phone.getByRole('heading', { level: 1, name: 'Mot de bienvenue' }).waitFor({ timeout: 5000 });
    await phone.getByText('On commence à 9 h.').waitFor();
  }, 60_000);
});
