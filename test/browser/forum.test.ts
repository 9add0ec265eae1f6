import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { formatJoinCode } from '../../shared/domain/joinCode.ts';
import { en } from '../../shared/i18n/en.ts';
import { fr } from '../../shared/i18n/fr.ts';
import type { CreatedEvent, EventSetupInput } from '../../shared/schemas/event.ts';
import {
  cspViolations,
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
  title: 'Forum test du Bas-Saint-Laurent',
  date: '2026-11-19',
  place: 'Rimouski',
  axes: [{ title: 'Approche systémique' }, { title: 'Inclusion sociale' }],
  territories: ['Kamouraska', 'La Mitis'],
  categories: [
    { key: 'citoyen', title: 'Personne citoyenne' },
    { key: 'communautaire', title: 'Organisme communautaire' },
  ],
  agenda: [
    { kind: 'plenary', title: 'Accueil et mot d’ouverture', minutes: 20, start: '09:00' },
    { kind: 'questions', title: 'Vos questions', minutes: 40, notes: 'Questions anonymes' },
    { kind: 'vote', title: 'Vote par gommettes', minutes: 30 },
  ],
};

/** "Lancer « Vos questions »": the accessible name of a run-sheet button for one step. */
function forStep(action: string, title: string): string {
  return `${action} ${fr['console.aboutStep'].replace('{title}', title)}`;
}

describe.skipIf(!chromiumPath)('browser', () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser(chromiumPath ?? '');
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  /** Uncaught errors and CSP violations in any page fail the test that caused them. */
  const pageErrors: string[] = [];
  function watch(context: BrowserContext, page: Page): Page {
    contexts.push(context);
    page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`));
    cspViolations(page, pageErrors);
    return page;
  }

  afterEach(() => {
    const errors = pageErrors.splice(0);
    expect(errors).toEqual([]);
  });

  async function phone(): Promise<Page> {
    const { context, page } = await openPhone(browser);
    return watch(context, page);
  }

  async function desktop(viewport?: { width: number; height: number }): Promise<Page> {
    const { context, page } = await openDesktop(browser, viewport);
    return watch(context, page);
  }

  /** A participant joins from the home page with a code typed as people do ("acd efg"). */
  async function joinFromHome(page: Page, created: CreatedEvent, name: string): Promise<void> {
    await page.goto(`${server.url}/`);
    const typed = formatJoinCode(created.event.joinCode).toLowerCase();
    await page.getByLabel(fr['home.codeLabel']).fill(typed);
    await page.getByRole('button', { name: fr['home.join'] }).click();
    await page.getByRole('heading', { level: 1, name: created.event.title }).waitFor();
    await page.getByLabel(fr['join.nameLabel']).fill(name);
    await page.getByRole('button', { name: fr['join.submit'] }).click();
    await page.getByRole('heading', { level: 1, name: fr['consent.title'] }).waitFor();
  }

  it('[BR1] a participant on a phone sees the step a facilitator starts within a second', async () => {
    const created = await guestCommand(server.url, 'event:create', setup);
    const participant = await phone();
    await joinFromHome(participant, created, 'Rose');
    await participant.getByRole('button', { name: fr['consent.skip'], exact: true }).click();
    await participant.getByRole('heading', { level: 1, name: fr['participant.waitingTitle'] }).waitFor();
    expect(await horizontalOverflow(participant)).toBe(0);

    const facilitator = await desktop();
    await facilitator.goto(`${server.url}${pathOf(created.links.facilitator)}`);
    await facilitator.getByRole('heading', { level: 1, name: created.event.title }).waitFor();
    await facilitator.getByRole('button', { name: forStep(fr['console.startStep'], 'Vos questions') }).click();

    await participant.getByRole('heading', { level: 1, name: 'Vos questions' }).waitFor({ timeout: 1000 });
    await participant.getByText('Questions anonymes').waitFor({ timeout: 1000 });
  }, 60_000);

  it('[BR2] every screen passes axe (no serious or critical violation), at 360 × 780 and without sideways scrolling', async () => {
    const failures: string[] = [];
    const check = async (page: Page, name: string) => {
      await screenshot(page, name);
      const violations = await seriousViolations(page, name);
      if (violations.length) failures.push(`${name}: ${violations.map((v) => v.id).join(', ')}`);
      const overflow = await horizontalOverflow(page);
      if (overflow > 0) failures.push(`${name}: scrolls sideways by ${overflow}px`);
    };

    // Home, then creating an event: empty, from the example, and the links once created.
    const organizer = await phone();
    await organizer.goto(`${server.url}/`);
    await organizer.getByRole('heading', { level: 1, name: fr['home.title'] }).waitFor();
    await check(organizer, '01-home');

    await organizer.getByRole('link', { name: fr['home.create'] }).click();
    await organizer.getByRole('heading', { level: 1, name: fr['create.title'] }).waitFor();
    await check(organizer, '02-create-empty');

    await organizer.getByRole('button', { name: fr['create.example'] }).click();
    await organizer.getByText(fr['create.exampleLoaded']).waitFor();
    await check(organizer, '03-create-example');

    await organizer.getByRole('button', { name: fr['create.submit'] }).click();
    await organizer.getByText(fr['created.done']).waitFor();
    await check(organizer, '04-created-links');
    const facilitatorLink = await organizer.getByLabel(fr['links.facilitator']).inputValue();
    const projectorLink = await organizer.getByLabel(fr['links.projector']).inputValue();
    const joinLink = await organizer.getByLabel(fr['links.join']).inputValue();

    // Joining through the link, then the consent screen.
    const participant = await phone();
    await participant.goto(`${server.url}${pathOf(joinLink)}`);
    await participant.getByLabel(fr['join.nameLabel']).waitFor();
    await check(participant, '05-join');
    await participant.getByLabel(fr['join.nameLabel']).fill('Mireille');
    await participant.getByRole('button', { name: fr['join.submit'] }).click();
    await participant.getByRole('heading', { level: 1, name: fr['consent.title'] }).waitFor();
    await check(participant, '06-consent');
    await participant.getByLabel(fr['consent.territory']).selectOption('La Mitis');
    await participant.getByRole('radio', { name: fr['profile.age.35to49'] }).check();
    await participant.getByRole('button', { name: fr['consent.send'], exact: true }).click();
    await participant.getByRole('heading', { level: 1, name: fr['participant.waitingTitle'] }).waitFor();
    await check(participant, '07-participant-waiting');

    // The console on a phone and on a laptop; a step and a message for everyone.
    const consolePhone = await phone();
    await consolePhone.goto(`${server.url}${pathOf(facilitatorLink)}`);
    await consolePhone.getByRole('heading', { level: 2, name: fr['console.runSheetTitle'] }).waitFor();
    const firstStep = "Accueil et mot d'ouverture";
    await consolePhone
      .getByRole('button', { name: forStep(fr['console.startStep'], firstStep) })
      .first()
      .click();
    await consolePhone.getByRole('button', { name: fr['console.timerStart'], exact: true }).click();
    await consolePhone.getByLabel(fr['console.messageLabel']).fill('On reprend à 13 h dans la grande salle.');
    await consolePhone.getByRole('button', { name: fr['console.messageSend'] }).click();
    await consolePhone.getByText(fr['console.messageShown']).waitFor();
    await check(consolePhone, '08-console-phone');
    await consolePhone.getByRole('button', { name: forStep(fr['console.editStep'], 'Pause') }).click();
    await consolePhone.getByRole('button', { name: forStep(fr['console.removeStep'], 'Dîner') }).click();
    await consolePhone.getByRole('button', { name: fr['console.removeYes'] }).waitFor();
    await check(consolePhone, '08b-console-edit-and-remove');
    await consolePhone.getByRole('button', { name: fr['common.cancel'] }).first().click();

    const consoleDesk = await desktop();
    await consoleDesk.goto(`${server.url}${pathOf(facilitatorLink)}`);
    await consoleDesk.getByRole('heading', { level: 2, name: fr['console.runSheetTitle'] }).waitFor();
    await consoleDesk.getByRole('button', { name: fr['links.show'] }).click();
    await consoleDesk.getByLabel(fr['links.facilitator']).waitFor();
    await screenshot(consoleDesk, '09-console-desktop');
    const deskViolations = await seriousViolations(consoleDesk, 'console-desktop');
    if (deskViolations.length) failures.push(`console-desktop: ${deskViolations.map((v) => v.id).join(', ')}`);

    await participant.getByRole('heading', { level: 1, name: firstStep }).waitFor();
    await participant.getByText('On reprend à 13 h dans la grande salle.').waitFor();
    await check(participant, '10-participant-step');

    await participant.getByRole('button', { name: fr['participant.menu'] }).click();
    await participant.getByRole('heading', { level: 1, name: fr['participant.menuTitle'] }).waitFor();
    await check(participant, '11-participant-menu');

    // English, chosen with the switch on the screen; the choice is kept on the device.
    await participant.getByRole('button', { name: fr['lang.other'] }).click();
    await participant.getByRole('heading', { level: 1, name: en['participant.menuTitle'] }).waitFor();
    expect(await participant.evaluate(() => document.documentElement.lang)).toBe('en-CA');
    await participant.getByRole('button', { name: en['participant.backToStep'] }).click();
    await participant.getByRole('heading', { level: 1, name: firstStep }).waitFor();
    await check(participant, '11b-participant-step-en');
    await participant.reload();
    await participant.getByRole('heading', { level: 1, name: firstStep }).waitFor();
    expect(await participant.evaluate(() => document.documentElement.lang)).toBe('en-CA');
    await participant.getByRole('button', { name: en['lang.other'] }).click();
    await participant.getByRole('button', { name: fr['participant.menu'] }).waitFor();

    // The projector: on a phone for the checks, and on a 16:9 screen as in a room.
    const projectorPhone = await phone();
    await projectorPhone.goto(`${server.url}${pathOf(projectorLink)}`);
    await projectorPhone.getByRole('heading', { level: 2, name: firstStep }).waitFor();
    await check(projectorPhone, '12-projector-phone');

    const projector = await desktop({ width: 1280, height: 720 });
    await projector.goto(`${server.url}${pathOf(projectorLink)}`);
    await projector.getByRole('heading', { level: 2, name: firstStep }).waitFor();
    await screenshot(projector, '13-projector-step');
    const projectorViolations = await seriousViolations(projector, 'projector');
    if (projectorViolations.length) failures.push(`projector: ${projectorViolations.map((v) => v.id).join(', ')}`);

    await consoleDesk.getByRole('button', { name: fr['console.backToWelcome'] }).click();
    await projector.getByRole('heading', { level: 2, name: fr['projector.welcome'] }).waitFor();
    await screenshot(projector, '14-projector-welcome');

    // Changing one's name, then one's answers (shown again), then withdrawing them.
    await participant.getByRole('button', { name: fr['participant.menu'] }).click();
    await participant.getByRole('button', { name: fr['participant.changeName'] }).click();
    await participant.getByRole('heading', { level: 1, name: fr['rename.title'] }).waitFor();
    await check(participant, '16-rename');
    await participant.getByLabel(fr['join.nameLabel']).fill('Mireille B.');
    await participant.getByRole('button', { name: fr['common.save'] }).click();
    await participant.getByText(fr['participant.youAre'].replace('{name}', 'Mireille B.')).waitFor();
    await participant.getByRole('button', { name: fr['participant.changeProfile'] }).click();
    await participant.getByRole('heading', { level: 1, name: fr['consent.editTitle'] }).waitFor();
    expect(await participant.getByLabel(fr['consent.territory']).inputValue()).toBe('La Mitis');
    expect(await participant.getByRole('radio', { name: fr['profile.age.35to49'] }).isChecked()).toBe(true);
    await check(participant, '17-profile-edit');
    await participant.getByRole('button', { name: fr['consent.withdraw'] }).click();
    await participant.getByRole('heading', { level: 1, name: fr['participant.menuTitle'] }).waitFor();

    // The home page offers to continue; a wrong link says so plainly.
    await participant.goto(`${server.url}/`);
    await participant.getByRole('heading', { level: 2, name: fr['home.continueTitle'] }).waitFor();
    await check(participant, '18-home-continue');
    const stranger = await phone();
    await stranger.goto(`${server.url}/console#not-a-real-token`);
    await stranger.getByRole('heading', { level: 1, name: fr['invalid.title'] }).waitFor();
    await check(stranger, '19-invalid-link');

    expect(failures).toEqual([]);
  }, 120_000);

  it('[BR3] two people share one tablet: each joins, skips or answers, and the tablet switches between them', async () => {
    const created = await guestCommand(server.url, 'event:create', setup);
    const tablet = await phone();
    await joinFromHome(tablet, created, 'Léa');
    await tablet.getByRole('button', { name: fr['consent.skip'], exact: true }).click();
    await tablet.getByRole('heading', { level: 1, name: fr['participant.waitingTitle'] }).waitFor();

    await tablet.getByRole('button', { name: fr['participant.menu'] }).click();
    await tablet.getByRole('button', { name: fr['participant.addPerson'] }).click();
    await tablet.getByLabel(fr['join.nameLabelOther']).fill('Samuel');
    await tablet.getByRole('button', { name: fr['join.submit'] }).click();
    await tablet.getByRole('heading', { level: 1, name: fr['consent.title'] }).waitFor();
    await tablet.getByRole('button', { name: fr['consent.skip'], exact: true }).click();
    await tablet.getByRole('heading', { level: 1, name: fr['participant.waitingTitle'] }).waitFor();

    await tablet.getByRole('button', { name: fr['participant.menu'] }).click();
    await tablet.getByText(fr['participant.youAre'].replace('{name}', 'Samuel')).waitFor();
    await screenshot(tablet, '15-participant-menu-two-people');
    expect(await seriousViolations(tablet, 'menu with two people')).toEqual([]);
    await tablet.getByRole('button', { name: fr['participant.switchTo'].replace('{name}', 'Léa') }).click();
    await tablet.getByRole('heading', { level: 1, name: fr['participant.waitingTitle'] }).waitFor();
    await tablet.getByRole('button', { name: fr['participant.menu'] }).click();
    await tablet.getByText(fr['participant.youAre'].replace('{name}', 'Léa')).waitFor();

    // Both people on the tablet count as connected, through one socket.
    const facilitator = await desktop();
    await facilitator.goto(`${server.url}${pathOf(created.links.facilitator)}`);
    await facilitator.getByText('2 personnes connectées').waitFor();
    await facilitator.getByText('2 personnes inscrites').waitFor();
  }, 60_000);

  it('[BR4] a step added while the connection is down is added once when it comes back', async () => {
    const created = await guestCommand(server.url, 'event:create', setup);
    const { context, page } = await openDesktop(browser);
    const facilitator = watch(context, page);
    await facilitator.goto(`${server.url}${pathOf(created.links.facilitator)}`);
    await facilitator.getByRole('heading', { level: 2, name: fr['console.runSheetTitle'] }).waitFor();
    const stepsTitled = (title: string) =>
      (server.db.prepare('SELECT count(*) AS n FROM steps WHERE event_id = ? AND title = ?').get(created.event.id, title) as { n: number }).n;

    // The facilitator's laptop loses the network and the server drops every socket.
    await context.setOffline(true);
    server.app.io.disconnectSockets(true);
    await facilitator.getByText(fr['connection.reconnecting']).waitFor();
    // Adding a step is not idempotent: applied twice, the run sheet would show it twice.
    await facilitator.getByRole('button', { name: fr['console.addStep'] }).click();
    await facilitator.getByLabel(fr['step.title']).fill('Pause café');
    await facilitator.getByRole('button', { name: fr['console.addStep'] }).click();
    await facilitator.getByText('1 action en attente d’envoi').waitFor();
    expect(stepsTitled('Pause café')).toBe(0);

    await context.setOffline(false);
    await facilitator.getByRole('button', { name: forStep(fr['console.startStep'], 'Pause café') }).waitFor({ timeout: 10_000 });
    await facilitator.getByText(fr['connection.reconnecting']).waitFor({ state: 'hidden' });
    await facilitator.getByText('1 action en attente d’envoi').waitFor({ state: 'hidden' });
    // A step added once online travels after any replay of the first on the same connection.
    await facilitator.getByRole('button', { name: fr['console.addStep'] }).click();
    await facilitator.getByLabel(fr['step.title']).fill('Mot de la fin');
    await facilitator.getByRole('button', { name: fr['console.addStep'] }).click();
    await facilitator.getByRole('button', { name: forStep(fr['console.startStep'], 'Mot de la fin') }).waitFor();
    expect(stepsTitled('Mot de la fin')).toBe(1);
    expect(stepsTitled('Pause café')).toBe(1);
    expect(await facilitator.getByRole('button', { name: forStep(fr['console.startStep'], 'Pause café') }).count()).toBe(1);
    // A screen opened now reads the run sheet from the server.
    await facilitator.reload();
    await facilitator.getByRole('button', { name: forStep(fr['console.startStep'], 'Mot de la fin') }).waitFor();
    expect(await facilitator.getByRole('button', { name: forStep(fr['console.startStep'], 'Pause café') }).count()).toBe(1);
  }, 30_000);

  it('[CSP] the screens run under their real Content-Security-Policy without a single violation', async () => {
    const created = await guestCommand(server.url, 'event:create', setup);
    // The positive control: on a page of its own, an inline script is blocked and reported.
    const control = await openPhone(browser);
    contexts.push(control.context);
    const blocked: string[] = [];
    cspViolations(control.page, blocked);
    const response = await control.page.goto(`${server.url}/`);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");
    await control.page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.inlineRan = true;';
      document.head.append(script);
    });
    await expect.poll(() => blocked.length).toBeGreaterThan(0);
    expect(await control.page.evaluate(() => 'inlineRan' in window)).toBe(false);

    // A normal flow: a phone joins, the console starts a step, the projector shows it.
    const seen: string[] = [];
    const participant = await phone();
    cspViolations(participant, seen);
    await joinFromHome(participant, created, 'Rose');
    await participant.getByRole('button', { name: fr['consent.skip'], exact: true }).click();
    await participant.getByRole('heading', { level: 1, name: fr['participant.waitingTitle'] }).waitFor();
    const facilitator = await desktop();
    cspViolations(facilitator, seen);
    await facilitator.goto(`${server.url}${pathOf(created.links.facilitator)}`);
    await facilitator.getByRole('button', { name: forStep(fr['console.startStep'], 'Vos questions') }).click();
    const projector = await desktop({ width: 1280, height: 720 });
    cspViolations(projector, seen);
    await projector.goto(`${server.url}${pathOf(created.links.projector)}`);
    await projector.getByRole('heading', { level: 2, name: 'Vos questions' }).waitFor();
    await participant.getByRole('heading', { level: 1, name: 'Vos questions' }).waitFor();
    // axe runs in the page too, without weakening the policy.
    expect(await seriousViolations(participant, 'csp-participant')).toEqual([]);
    expect(seen).toEqual([]);
  }, 60_000);

  it('[BR5] screens come back by themselves after a server restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'concerto-browser-'));
    let restarted: TestServer | null = null;
    let first: TestServer | null = await startServer({ dbFile: join(dir, 'concerto.db') });
    try {
      const port = Number(new URL(first.url).port);
      const created = await guestCommand(first.url, 'event:create', setup);
      const participant = await phone();
      await participant.goto(`${first.url}/j/${created.event.joinCode}`);
      await participant.getByLabel(fr['join.nameLabel']).fill('Rose');
      await participant.getByRole('button', { name: fr['join.submit'] }).click();
      await participant.getByRole('button', { name: fr['consent.skip'], exact: true }).click();
      await participant.getByRole('heading', { level: 1, name: fr['participant.waitingTitle'] }).waitFor();

      await first.close();
      first = null;
      await participant.getByText(fr['connection.reconnecting']).waitFor();
      restarted = await startServer({ dbFile: join(dir, 'concerto.db'), port });

      const facilitator = await desktop();
      await facilitator.goto(`${restarted.url}${pathOf(created.links.facilitator)}`);
      await facilitator.getByRole('button', { name: forStep(fr['console.startStep'], 'Vote par gommettes') }).click();
      await participant.getByRole('heading', { level: 1, name: 'Vote par gommettes' }).waitFor({ timeout: 10_000 });
      await participant.getByText(fr['connection.reconnecting']).waitFor({ state: 'hidden' });
    } finally {
      await first?.close();
      await restarted?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
