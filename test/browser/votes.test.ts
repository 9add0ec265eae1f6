import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { formatJoinCode } from '../../shared/domain/joinCode.ts';
import { fr } from '../../shared/i18n/fr.ts';
import type { CreatedEvent, EventSetupInput } from '../../shared/schemas/event.ts';
import {
  guestCommand,
  horizontalOverflow,
  launchBrowser,
  openDesktop,
  openPhone,
  pathOf,
  screenshot,
  seriousViolations,
  startServer,
  type TestServer,
} from './helpers.ts';

const chromiumPath = inject('chromiumPath');

const setup: EventSetupInput = {
  title: 'Forum des priorités',
  date: '2026-11-19',
  place: 'Rimouski',
  axes: [{ title: 'Approche systémique' }],
  territories: ['Kamouraska'],
  categories: [{ key: 'citoyen', title: 'Personne citoyenne' }],
  agenda: [{ kind: 'vote', title: 'Vote par gommettes', minutes: 20 }],
};

const IDEAS = ['Transport collectif', 'Lutte aux préjugés', 'Logement abordable', 'Sécurité alimentaire', 'Horaires adaptés', 'Frais de garde'];

describe.skipIf(!chromiumPath)('browser: dot voting', () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser(chromiumPath ?? '');
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
    return page;
  }

  async function joinPhone(created: CreatedEvent, name: string): Promise<Page> {
    const { context, page } = await openPhone(browser);
    watch(context, page);
    await page.goto(`${server.url}/`);
    await page.getByLabel(fr['home.codeLabel']).fill(formatJoinCode(created.event.joinCode));
    await page.getByRole('button', { name: fr['home.join'] }).click();
    await page.getByLabel(fr['join.nameLabel']).fill(name);
    await page.getByRole('button', { name: fr['join.submit'] }).click();
    await page.getByRole('button', { name: fr['consent.skip'], exact: true }).click();
    await page.getByRole('heading', { level: 1, name: fr['participant.waitingTitle'] }).waitFor();
    return page;
  }

  const plus = (text: string) => fr['vote.plus'].replace('{text}', text);
  const minus = (text: string) => fr['vote.minus'].replace('{text}', text);

  it('[DVB1] a phone casts and moves dots, and sees the results once the facilitator closes the vote', async () => {
    const created = await guestCommand(server.url, 'event:create', setup);
    const phone = await joinPhone(created, 'Rose');
    const desk = await openDesktop(browser, { width: 1280, height: 900 });
    const facilitator = watch(desk.context, desk.page);
    await facilitator.goto(`${server.url}${pathOf(created.links.facilitator)}`);
    await facilitator.getByRole('button', { name: `${fr['console.startStep']} ${fr['console.aboutStep'].replace('{title}', 'Vote par gommettes')}` }).click();
    await facilitator.getByRole('button', { name: fr['voteAdmin.prepare'] }).click();
    for (const idea of IDEAS) {
      await facilitator.getByPlaceholder(fr['voteAdmin.newItem']).fill(idea);
      await facilitator.getByRole('button', { name: fr['voteAdmin.add'], exact: true }).click();
      await facilitator.getByRole('listitem').filter({ hasText: idea }).waitFor();
    }
    await facilitator.getByRole('button', { name: /^Ouvrir le vote/ }).click();

    // Two dots (6 ideas ÷ 3); at most 3 on one idea.
    await phone.getByRole('button', { name: plus('Transport collectif') }).waitFor({ timeout: 2000 });
    await phone.getByRole('button', { name: plus('Transport collectif') }).click();
    await phone.getByRole('button', { name: plus('Logement abordable') }).click();
    await expect.poll(() => phone.getByRole('button', { name: plus('Frais de garde') }).isDisabled()).toBe(true);
    expect(await horizontalOverflow(phone)).toBe(0);
    await screenshot(phone, 'votes-01-phone');
    expect(await seriousViolations(phone, 'phone vote')).toEqual([]);
    // Moving a dot: take one back, put it elsewhere.
    await phone.getByRole('button', { name: minus('Transport collectif') }).click();
    await phone.getByRole('button', { name: plus('Frais de garde') }).click();
    await phone.getByText(fr['vote.placed'].replace('{text}', 'Frais de garde').replace('{left}', '0')).waitFor();

    // The console sees the tally; the phone sees none until the close.
    await facilitator.getByText(fr['voteAdmin.tally'].replace('{dots}', '1').replace('{paper}', '0')).first().waitFor();
    expect(await phone.getByText(fr['vote.results']).count()).toBe(0);
    await facilitator.getByRole('button', { name: fr['voteAdmin.close'] }).click();

    await phone.getByRole('heading', { name: fr['vote.results'] }).waitFor({ timeout: 1000 });
    const table = phone.getByRole('table', { name: fr['vote.tableCaption'] });
    await table.getByRole('rowheader', { name: 'Frais de garde' }).waitFor();
    expect(await table.getByRole('row').count()).toBe(7);
    expect(await horizontalOverflow(phone)).toBe(0);
    await screenshot(phone, 'votes-02-phone-results');
    expect(await seriousViolations(phone, 'phone results')).toEqual([]);
    await screenshot(facilitator, 'votes-03-console');
    expect(await seriousViolations(facilitator, 'console vote')).toEqual([]);
  }, 90_000);
});
