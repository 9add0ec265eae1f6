import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type ViteDevServer } from 'vite';
import { createApp, type App } from '../../server/app.ts';
import { openDatabase } from '../../server/db/index.ts';
import { silentLogger } from '../../server/logger.ts';

/** The status an HTTP upgrade to `path` gets (101 when the socket opens), 'closed', or 'no answer' within 5 s. */
function upgrade(port: number, path: string): Promise<number | 'closed' | 'no answer'> {
  return new Promise((resolve) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path,
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve('closed'));
    req.on('close', () => resolve('closed'));
    // Without a proxy for the path, Vite leaves the request hanging: a bound, not a wait.
    req.setTimeout(5_000, () => {
      resolve('no answer');
      req.destroy();
    });
    req.end();
  });
}

describe('[DEV1] npm run dev: Vite passes the server’s paths on to it', { timeout: 60_000 }, () => {
  let app: App;
  let vite: ViteDevServer;
  let serverPort = 0;
  let vitePort = 0;

  beforeAll(async () => {
    app = createApp({ db: openDatabase(':memory:'), clock: { now: () => Date.now() }, logger: silentLogger, config: { publicUrl: 'http://concerto.test' } });
    await new Promise<void>((r) => app.httpServer.listen(0, '127.0.0.1', r));
    serverPort = (app.httpServer.address() as AddressInfo).port;
    // vite.config.ts points its proxy at PORT, as scripts/dev.ts sets it for both processes.
    process.env.PORT = String(serverPort);
    vite = await createServer({
      configFile: 'vite.config.ts',
      logLevel: 'silent',
      server: { port: 0, host: '127.0.0.1', strictPort: false, hmr: false },
      optimizeDeps: { noDiscovery: true, include: [] },
    });
    await vite.listen();
    vitePort = (vite.httpServer!.address() as AddressInfo).port;
  }, 60_000);
  afterAll(async () => {
    await vite?.close();
    await app?.close();
  });

  it('the board documents’ WebSocket (/yjs/) gets the server’s own answer through Vite', async () => {
    // The server refuses an upgrade without a token to a board that does not exist with a 404…
    const direct = await upgrade(serverPort, '/yjs/board:nope:plenary:nope');
    expect(direct).toBe(404);
    // …and through Vite the same request reaches it and gets the same answer.
    expect(await upgrade(vitePort, '/yjs/board:nope:plenary:nope')).toBe(direct);
  });

  it('Socket.IO and /api still reach the server (positive control)', async () => {
    expect(await upgrade(vitePort, '/socket.io/?EIO=4&transport=websocket')).toBe(101);
    const health = await fetch(`http://127.0.0.1:${vitePort}/api/health`);
    expect(await health.json()).toMatchObject({ ok: true });
  });
});
