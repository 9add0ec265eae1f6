import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/logger.ts';
import { spawnServer, type ServerProcess } from './process.ts';

function capture(level: 'debug' | 'info' | 'warn' | 'error' = 'debug') {
  const lines: string[] = [];
  const logger = createLogger({ level, write: (l) => lines.push(l) });
  return { logger, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('[LG1] logs', () => {
  it('are one JSON object per line with level, time and message, below the level dropped', () => {
    const { logger, lines, parsed } = capture('info');
    logger.debug('not written', { a: 1 });
    logger.info('step started', { eventId: 'ev1', stepId: 's1', count: 3, open: true, none: null, skipped: undefined });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('\n');
    const [line] = parsed();
    expect(line).toEqual({ level: 'info', time: expect.any(String), msg: 'step started', eventId: 'ev1', stepId: 's1', count: 3, open: true, none: null });
    expect(new Date(line!.time as string).toISOString()).toBe(line!.time);
  });

  it('never hold tokens, names, typed text, addresses or user agents, even one level down', () => {
    const { logger, lines } = capture();
    const secrets = {
      token: 'tok-4f8a',
      tokens: 'tok-list',
      deviceTokens: 'dev-tok',
      name: 'Agathe Tremblay',
      displayName: 'Agathe T.',
      text: 'Je pense que le maire',
      ip: '203.0.113.9',
      userAgent: 'Mozilla/5.0 (Linux; Android 9)',
    };
    logger.info('joined', { eventId: 'ev1', ...secrets });
    const err = Object.assign(new Error('refused'), { token: 'tok-in-error', ip: '198.51.100.7' });
    logger.error('failed', { eventId: 'ev1' }, err);
    const all = lines.join('\n');
    for (const value of [...Object.values(secrets), 'tok-in-error', '198.51.100.7']) expect(all).not.toContain(value);
    // Positive control: what operators need is still there.
    expect(all).toContain('"eventId":"ev1"');
    expect(all).toContain('refused');
  });

  it('give an internal error with its type, message and stack; the old two-argument form still works', () => {
    const { logger, parsed } = capture();
    function failingHandler(): never {
      throw new TypeError('cannot read the step');
    }
    try {
      failingHandler();
    } catch (err) {
      logger.error('command failed', { command: 'step:start' }, err);
    }
    logger.error('export failed', { kind: 'docx', error: 'disk full' });
    logger.warn('odd', {}, 'a thrown string, maybe typed by someone');
    const [withStack, plain, thrownString] = parsed();
    expect(withStack).toMatchObject({
      level: 'error',
      msg: 'command failed',
      command: 'step:start',
      err: { type: 'TypeError', message: 'cannot read the step' },
    });
    expect((withStack!.err as { stack: string }).stack).toContain('failingHandler');
    expect(plain).toMatchObject({ level: 'error', msg: 'export failed', kind: 'docx', error: 'disk full' });
    expect(plain).not.toHaveProperty('err');
    expect(thrownString).toMatchObject({ level: 'warn', err: { type: 'string' } });
    expect(JSON.stringify(thrownString)).not.toContain('typed by someone');
  });
});

describe('[LG2] the server process logs what nobody caught, with its stack', { timeout: 60_000 }, () => {
  const folders: string[] = [];
  const started: ServerProcess[] = [];
  afterEach(async () => {
    for (const s of started.splice(0)) await s.stop();
    for (const f of folders.splice(0)) rmSync(f, { recursive: true, force: true });
  });

  /**
   * The real server, with a module loaded before it that fails the way a bug would, from the event
   * loop, when a request to /api/health?fail=… arrives (so only once the server is listening).
   */
  function serveWithFault() {
    const dir = mkdtempSync(join(tmpdir(), 'concerto-logs-'));
    folders.push(dir);
    const fault = join(dir, 'fault.mjs');
    writeFileSync(
      fault,
      `import { subscribe } from 'node:diagnostics_channel';
subscribe('http.server.request.start', ({ request }) => {
  if (request.url === '/api/health?fail=throw') setImmediate(function faultyTimer() { throw new Error('fault in a timer'); });
  if (request.url === '/api/health?fail=reject') setImmediate(function faultyPromise() { void Promise.reject(new Error('fault in a promise')); });
});
`,
    );
    const env = { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, CLIENT_DIR: join(dir, 'no-client'), LOG_LEVEL: 'info' };
    const s = spawnServer(['--import', 'tsx', '--import', fault, 'server/main.ts'], env);
    started.push(s);
    return s;
  }

  it('an unhandled rejection is logged with its stack and the server keeps answering', async () => {
    const s = serveWithFault();
    const base = `http://127.0.0.1:${await s.listening}`;
    await fetch(`${base}/api/health?fail=reject`);
    const line = JSON.parse(await s.line('"msg":"unhandled rejection"')) as { level: string; err: { message: string; stack: string } };
    expect(line).toMatchObject({ level: 'error', err: { message: 'fault in a promise' } });
    expect(line.err.stack).toContain('faultyPromise');
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
  });

  it('an uncaught exception is logged with its stack and the process stops with a failure code', async () => {
    const s = serveWithFault();
    const base = `http://127.0.0.1:${await s.listening}`;
    await fetch(`${base}/api/health?fail=throw`);
    const line = JSON.parse(await s.line('"msg":"uncaught exception"')) as { level: string; err: { message: string; stack: string } };
    expect(await s.exited).toBe(1);
    expect(line).toMatchObject({ level: 'error', err: { type: 'Error', message: 'fault in a timer' } });
    expect(line.err.stack).toContain('faultyTimer');
  });
});
