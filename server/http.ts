import { clientAddress } from './guards.ts';
import express, { type Express } from 'express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import QRCode from 'qrcode';
import { isJoinCode } from '../shared/domain/joinCode.ts';
import { exampleSetup } from '../shared/example.ts';
import type { Services } from './context.ts';
import { exportArchive } from './exports/archive.ts';
import { fileName } from './exports/format.ts';
import { exportFile, isExportKind } from './exports/index.ts';
import { resolveActor } from './sessions.ts';

/** The small REST API (health, example event, QR codes) and the built client. */
export function createHttpApp(services: Services): Express {
  const app = express();
  app.disable('x-powered-by');
  // [SEC-HEADERS] Websockets to this server only ('self' covers ws: and wss: on the same host).
  const policy = [
    "default-src 'self'",
    "img-src 'self' data:",
    "style-src 'self' 'unsafe-inline'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  const https = services.config.publicUrl.startsWith('https://');
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Content-Security-Policy', policy);
    // Behind https, browsers keep to it for half a year.
    if (https) res.setHeader('Strict-Transport-Security', 'max-age=15552000; includeSubDomains');
    next();
  });

  app.get('/api/health', (_req, res) => {
    const report = services.health.report(services.boards.healthy());
    res.status(report.ok ? 200 : 503).json(report);
  });

  app.get('/api/example', (_req, res) => {
    res.json(exampleSetup());
  });

  app.get('/api/qr/:file', async (req, res) => {
    const code = req.params.file.replace(/\.svg$/, '');
    // [HR-QR] Any well-formed code gets its picture: the answer says nothing about which codes exist.
    if (!isJoinCode(code)) {
      res.status(404).json({ ok: false, code: 'join_code_unknown' });
      return;
    }
    const url = `${services.config.publicUrl.replace(/\/+$/, '')}/j/${code}`;
    const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    res.setHeader('Content-Type', 'image/svg+xml');
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.send(svg);
  });

  // Exports: facilitators of the event only (their token in the Authorization header, never in the URL).
  app.get('/api/events/:eventId/exports/:kind', async (req, res) => {
    const header = req.get('authorization') ?? '';
    const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    const address = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], services.config.trustProxy);
    const actor = token ? resolveActor(services.repos, token, undefined) : undefined;
    if (!actor || actor.kind === 'guest') {
      // Slowed past the free failures; a valid token is never refused.
      const verdict = await services.guesses.failed('secret', address);
      res.status(verdict === 'rate_limited' ? 429 : 403).json({ ok: false, code: verdict === 'rate_limited' ? 'rate_limited' : 'forbidden' });
      return;
    }
    const facilitator = actor?.kind === 'staff' && actor.role !== 'projector' && actor.eventId === req.params.eventId;
    if (!facilitator) {
      res.status(403).json({ ok: false, code: 'forbidden' });
      return;
    }
    if (req.params.kind === 'archive.json') {
      // The full archive holds the secret links: the lead facilitator's alone.
      const archive = actor.role === 'facilitator' ? exportArchive(services.db, req.params.eventId) : null;
      if (!archive) {
        res.status(403).json({ ok: false, code: 'forbidden' });
        return;
      }
      const title = services.repos.events.get(req.params.eventId)?.info.title ?? '';
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="${fileName(title, 'archive', 'json')}"`);
      res.setHeader('Cache-Control', 'no-store');
      res.send(JSON.stringify(archive, null, 2));
      return;
    }
    if (!isExportKind(req.params.kind)) {
      res.status(404).json({ ok: false, code: 'not_found' });
      return;
    }
    try {
      const file = await exportFile(services, req.params.eventId, req.params.kind, services.clock.now());
      if (!file) {
        res.status(404).json({ ok: false, code: 'event_not_found' });
        return;
      }
      res.setHeader('Content-Type', file.contentType);
      res.setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`);
      res.setHeader('Cache-Control', 'no-store');
      res.send(file.body);
    } catch (err) {
      services.logger.error('export failed', { kind: req.params.kind }, err);
      res.status(500).json({ ok: false, code: 'internal' });
    }
  });

  app.use('/api', (_req, res) => {
    res.status(404).json({ ok: false, code: 'not_found' });
  });

  const clientDir = services.config.clientDir ? resolve(services.config.clientDir) : null;
  if (clientDir && existsSync(join(clientDir, 'index.html'))) {
    app.use(express.static(clientDir, { index: false, maxAge: '1h' }));
    // Client routes (/, /new, /j/CODE, /console, /projector, /faq/ID) all load the single page.
    app.get(/^\/(?!socket\.io\/|yjs\/).*/, (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(join(clientDir, 'index.html'));
    });
  } else if (clientDir) {
    services.logger.warn('client not built', { clientDir });
  }
  return app;
}
