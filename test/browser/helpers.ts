/**
 * Browser tests: the real app (server/app.ts) in this process on port 0, the built client from
 * dist/client (npm test builds it first), and Debian's Chromium driven by playwright-core.
 */
import axe from 'axe-core';
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { formatJoinCode } from '../../shared/domain/joinCode.ts';
import { fr } from '../../shared/i18n/fr.ts';
import type { CreatedEvent } from '../../shared/schemas/event.ts';
import { io, type Socket } from 'socket.io-client';
import { createApp, type App } from '../../server/app.ts';
import { openDatabase, type Db } from '../../server/db/index.ts';
import { silentLogger } from '../../server/logger.ts';
import type { Ack, ClientToServer, CommandInput, CommandName, CommandResults, ServerToClient } from '../../shared/protocol.ts';

export const CLIENT_DIR = 'dist/client';
export const PHONE = { width: 360, height: 780 } as const;
export const SHOTS_DIR = process.env.SHOTS_DIR ?? '/tmp/shots';

export interface TestServer {
  app: App;
  /** The server's own database, to check what it stored. */
  db: Db;
  url: string;
  close(): Promise<void>;
}

/**
 * The whole app with the built client: in memory on a free port, or on a given database file and
 * port (to restart it where the browsers expect it).
 */
export async function startServer(opts: { dbFile?: string; port?: number } = {}): Promise<TestServer> {
  if (!existsSync(join(CLIENT_DIR, 'index.html'))) {
    throw new Error(`${CLIENT_DIR}/index.html is missing: build the client first (npm test does, or run npx vite build).`);
  }
  const db = openDatabase(opts.dbFile ?? ':memory:');
  // Links and QR codes use publicUrl; the port is only known once listening, so it is filled in
  // then (the app keeps a reference to this same object).
  const config = { publicUrl: 'http://127.0.0.1', clientDir: CLIENT_DIR };
  const app = createApp({ db, clock: { now: () => Date.now() }, logger: silentLogger, config });
  await new Promise<void>((resolve) => app.httpServer.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}`;
  config.publicUrl = url;
  return {
    app,
    db,
    url,
    async close() {
      await app.close();
      db.close();
    },
  };
}

export const BROWSER_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchBrowser(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, args: BROWSER_ARGS });
}

/** What a page logs when its Content-Security-Policy blocks something (see reportViolations). */
export const CSP_VIOLATION = 'CSP violation:';

/**
 * Pages run under the server's real Content-Security-Policy. Every violation is logged to the
 * console by a listener the browser installs before any of the page's own scripts (DevTools
 * injection, which the policy does not govern); `cspViolations` collects those lines.
 */
async function reportViolations(context: BrowserContext): Promise<void> {
  await context.addInitScript((prefix: string) => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`${prefix} ${e.violatedDirective} ${e.blockedURI || '(inline)'} ${e.sourceFile}:${e.lineNumber}`);
    });
  }, CSP_VIOLATION);
}

/** Collects the CSP violations of a page, and Chromium's own reports of them. */
export function cspViolations(page: Page, into: string[]): void {
  page.on('console', (message) => {
    const text = message.text();
    if (text.startsWith(CSP_VIOLATION) || text.includes('Content Security Policy')) into.push(`${page.url()}: ${text}`);
  });
}

/** A phone-sized page in its own context (its own localStorage: one device). */
export async function openPhone(browser: Browser, opts: { locale?: string } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: PHONE,
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
    locale: opts.locale ?? 'fr-CA',
    reducedMotion: 'reduce',
  });
  await reportViolations(context);
  const page = await context.newPage();
  return { context, page };
}

/** A laptop-sized page (facilitator console, projector). */
export async function openDesktop(
  browser: Browser,
  viewport: { width: number; height: number } = { width: 1280, height: 800 },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, locale: 'fr-CA', reducedMotion: 'reduce' });
  await reportViolations(context);
  const page = await context.newPage();
  return { context, page };
}

type GuestSocket = Socket<ServerToClient, ClientToServer>;

/** Runs one command as a guest over a real Socket.IO connection (to set up an event quickly). */
export async function guestCommand<N extends CommandName>(url: string, name: N, payload: CommandInput<N>): Promise<CommandResults[N]> {
  const socket: GuestSocket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    // emitWithAck's overloads cannot follow a generic command name; shared/protocol.ts types both ends.
    const emit = socket.timeout(5000).emitWithAck as unknown as (n: N, p: unknown) => Promise<Ack<CommandResults[N]>>;
    const ack = await emit.call(socket.timeout(5000), name, payload);
    if (!ack.ok) throw new Error(`${name} failed: ${ack.code}`);
    return ack.data;
  } finally {
    socket.disconnect();
  }
}

/** The path and fragment of a secret link, to open it on the test server. */
export function pathOf(link: string): string {
  const u = new URL(link);
  return `${u.pathname}${u.hash}`;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** axe-core in the page; returns the serious and critical violations (printed when there are some). */
export async function seriousViolations(page: Page, label: string): Promise<AxeViolation[]> {
  const injected = await page.evaluate(() => 'axe' in window);
  // Evaluated through DevTools, as playwright evaluates anything: the page's CSP, which forbids
  // inline scripts, stays in force for the page itself (a <script> tag with this content would be blocked).
  if (!injected) await page.evaluate(axe.source);
  const results = await page.evaluate(async () => {
    const run = (window as unknown as { axe: typeof axe }).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    const r = await run;
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`),
    }));
  });
  if (process.env.AXE_ALL && results.length) console.log(`axe (all) on ${label}:`, results.map((v) => `${v.id} (${v.impact})`).join(', '));
  const serious = results.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (serious.length) console.log(`axe violations on ${label}:\n${JSON.stringify(serious, null, 2)}`);
  return serious;
}

/** A full-page screenshot into /tmp/shots (not committed), to look at by eye. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS_DIR, { recursive: true });
  await page.screenshot({ path: join(SHOTS_DIR, `${name}.png`), fullPage: true });
}

/** Whether the page scrolls sideways (nothing may overflow at 360 px). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/**
 * The usual set-up of a browser suite, registered in the calling describe: one server and one
 * Chromium for the suite, pages whose uncaught errors fail the test that caused them, and a phone
 * that joins an event by its code and skips the profile questions.
 */
export function browserSuite(chromiumPath: string) {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  const phones = new Map<Page, BrowserContext>();

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser(chromiumPath);
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  function watch(context: BrowserContext, page: Page): Page {
    contexts.push(context);
    page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`));
    cspViolations(page, pageErrors);
    return page;
  }

  const suite = {
    get url(): string {
      if (!server) throw new Error('the suite has not started');
      return server.url;
    },
    async desktop(viewport?: { width: number; height: number }): Promise<Page> {
      if (!browser) throw new Error('the suite has not started');
      const { context, page } = await openDesktop(browser, viewport);
      return watch(context, page);
    },
    /** The browser context of a phone, to cut its network. */
    contextOf(page: Page): BrowserContext | undefined {
      return phones.get(page);
    },
    /** `base`: where the phone opens the app (a proxy in front of the server, say); the server by default. */
    async joinPhone(created: CreatedEvent, name: string, opts: { base?: string } = {}): Promise<Page> {
      if (!browser) throw new Error('the suite has not started');
      const { context, page } = await openPhone(browser);
      phones.set(page, context);
      watch(context, page);
      await page.goto(`${opts.base ?? suite.url}/`);
      await page.getByLabel(fr['home.codeLabel']).fill(formatJoinCode(created.event.joinCode));
      await page.getByRole('button', { name: fr['home.join'] }).click();
      await page.getByLabel(fr['join.nameLabel']).fill(name);
      await page.getByRole('button', { name: fr['join.submit'] }).click();
      await page.getByRole('button', { name: fr['consent.skip'], exact: true }).click();
      await page.getByRole('heading', { level: 1, name: fr['participant.waitingTitle'] }).waitFor();
      return page;
    },
    /** The console's "start" button of a step, by its title. */
    startLabel(title: string): string {
      return `${fr['console.startStep']} ${fr['console.aboutStep'].replace('{title}', title)}`;
    },
  };
  return suite;
}
