import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../server/config.ts';
import { spawnServer, type ServerProcess } from './process.ts';

const started: ServerProcess[] = [];
const folders: string[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) await s.stop();
  for (const f of folders.splice(0)) rmSync(f, { recursive: true, force: true });
});

/** The real server (server/main.ts) with these variables on top of a working environment. */
function serve(vars: Record<string, string>): ServerProcess {
  const dataDir = mkdtempSync(join(tmpdir(), 'concerto-config-'));
  folders.push(dataDir);
  const env = { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, CLIENT_DIR: join(dataDir, 'no-client'), LOG_LEVEL: 'info', ...vars };
  const s = spawnServer(['--import', 'tsx', 'server/main.ts'], env);
  started.push(s);
  return s;
}

describe('[CF3] a setting that cannot be used stops the server with one line naming it', { timeout: 60_000 }, () => {
  it('PUBLIC_URL without a scheme', async () => {
    const s = serve({ PUBLIC_URL: 'forum.example.org' });
    expect(await s.exited).toBe(1);
    expect(s.stderr()).toBe(
      'Concerto not started: PUBLIC_URL must be an http:// or https:// address, e.g. https://forum.example.org, got "forum.example.org"\n',
    );
    // Nothing was opened: no log line, no database.
    expect(s.stdout()).toBe('');
    expect(existsSync(join(folders.at(-1)!, 'concerto.db'))).toBe(false);
  });

  it('names every variable that is wrong, and never repeats a Redis address (it may hold a password)', async () => {
    const s = serve({ PORT: 'x', LOG_LEVEL: 'loud', REDIS_URL: 'http://user:hunter2@example.org' });
    expect(await s.exited).toBe(1);
    expect(s.stderr()).toContain('PORT must be');
    expect(s.stderr()).toContain('LOG_LEVEL must be');
    expect(s.stderr()).toContain('REDIS_URL must be a redis:// or rediss:// address');
    expect(s.stderr()).not.toContain('hunter2');
    expect(s.stderr().trim().split('\n')).toHaveLength(1);
  });

  it('positive control: the same variables, valid, start the server', async () => {
    const s = serve({ PUBLIC_URL: 'https://forum.example.org/', PORT: '0', LOG_LEVEL: 'Debug' });
    const port = await s.listening;
    const health = await fetch(`http://127.0.0.1:${port}/api/health`);
    expect(health.status).toBe(200);
    expect(JSON.parse(await s.line('"msg":"listening"'))).toMatchObject({ level: 'info', publicUrl: 'https://forum.example.org' });
    expect(s.stderr()).toBe('');
  });
});

describe('readConfig', () => {
  it.each([
    ['PUBLIC_URL', 'ftp://forum.example.org', 'PUBLIC_URL must be an http:// or https:// address'],
    ['PUBLIC_URL', 'http://', 'PUBLIC_URL must be an http:// or https:// address'],
    ['PORT', '80a', 'PORT must be a whole number from 0 to 65535, got "80a"'],
    ['PORT', '70000', 'PORT must be a whole number from 0 to 65535, got "70000"'],
    ['PORT', '-1', 'PORT must be a whole number from 0 to 65535, got "-1"'],
    ['PORT', '3000.5', 'PORT must be a whole number from 0 to 65535, got "3000.5"'],
    ['LOG_LEVEL', 'verbose', 'LOG_LEVEL must be one of debug, info, warn, error, got "verbose"'],
    ['REDIS_URL', 'localhost:6379', 'REDIS_URL must be a redis:// or rediss:// address, e.g. redis://127.0.0.1:6379'],
  ])('[CF3] %s=%s is refused', (variable, value, message) => {
    expect(() => readConfig({ [variable]: value })).toThrow(message);
  });

  it('[CF4] trims, lowers the level, strips trailing slashes, and takes empty as unset', () => {
    const c = readConfig({ PORT: ' 8080 ', PUBLIC_URL: 'https://forum.example.org/concerto//', LOG_LEVEL: 'Debug', HOST: '' });
    expect(c).toMatchObject({ port: 8080, publicUrl: 'https://forum.example.org/concerto', logLevel: 'debug', host: '0.0.0.0' });
    expect(readConfig({ PORT: '', LOG_LEVEL: '' })).toMatchObject({ port: 3000, logLevel: 'info' });
    expect(readConfig({ PORT: '0' }).port).toBe(0);
    expect(readConfig({ PORT: '65535' }).port).toBe(65535);
  });
  it('[CF4] throws a ConfigError listing the variables', () => {
    const attempt = () => readConfig({ PORT: '65536', PUBLIC_URL: 'http://' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (err) {
      expect((err as ConfigError).variables).toEqual(['PORT', 'PUBLIC_URL']);
    }
  });
});
