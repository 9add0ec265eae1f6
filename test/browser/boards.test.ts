import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { en } from '../../shared/i18n/en.ts';
import { fr } from '../../shared/i18n/fr.ts';
import type { EventSetupInput } from '../../shared/schemas/event.ts';
import { browserSuite, guestCommand, horizontalOverflow, pathOf, screenshot, seriousViolations } from './helpers.ts';

const chromiumPath = inject('chromiumPath');

const setup: EventSetupInput = {
  title: 'Forum des idées',
  date: '2026-11-19',
  place: 'Rimouski',
  axes: [{ title: 'Approche systémique' }, { title: 'Inclusion sociale' }],
  territories: ['Kamouraska', 'La Mitis'],
  categories: [{ key: 'citoyen', title: 'Personne citoyenne' }],
  agenda: [
    { kind: 'board', title: 'Une idée par carton', minutes: 30 },
    { kind: 'board', title: 'Idées aux tables', minutes: 30, axes: ['approche-systemique'], breakout: { mode: 'random', size: 2 } },
  ],
};

describe.skipIf(!chromiumPath)('browser: idea boards', () => {
  const suite = browserSuite(chromiumPath ?? '');

  /** Two taps and typing: "Ajouter une idée", the text, "Ajouter". */
  async function addCard(page: Page, text: string): Promise<void> {
    await page.getByRole('button', { name: fr['board.addOpen'] }).click();
    await page.keyboard.type(text);
    await page.getByRole('button', { name: fr['board.add'], exact: true }).click();
  }

  it('[BRD1] two phones each add a card and see the other’s within a second; the facilitator hides one', async () => {
    const created = await guestCommand(suite.url, 'event:create', setup);
    const [ana, ben] = [await suite.joinPhone(created, 'Ana'), await suite.joinPhone(created, 'Ben')];
    const facilitator = await suite.desktop({ width: 1280, height: 900 });
    await facilitator.goto(`${suite.url}${pathOf(created.links.facilitator)}`);
    await facilitator.getByRole('button', { name: suite.startLabel('Une idée par carton') }).click();

    await ana.getByRole('heading', { level: 2, name: 'Approche systémique' }).waitFor({ timeout: 2000 });
    await addCard(ana, 'Transport collectif entre les municipalités rurales');
    await ben.getByText('Transport collectif entre les municipalités rurales', { exact: true }).waitFor({ timeout: 1000 });
    await addCard(ben, 'Campagne régionale de lutte aux préjugés');
    await ana.getByText('Campagne régionale de lutte aux préjugés', { exact: true }).waitFor({ timeout: 1000 });

    // Ana's own card says so and can be edited; Ben's cannot be by her.
    const own = ana.getByRole('listitem').filter({ hasText: 'Transport collectif' });
    await own.getByText(fr['board.mine']).waitFor();
    expect(await ana.getByRole('listitem').filter({ hasText: 'Campagne régionale' }).getByRole('button').count()).toBe(0);
    expect(await horizontalOverflow(ana)).toBe(0);
    await screenshot(ana, 'boards-01-phone');
    expect(await seriousViolations(ana, 'phone board')).toEqual([]);
    await ana.getByRole('button', { name: fr['lang.other'] }).click();
    await ana.getByRole('button', { name: en['board.addOpen'] }).waitFor();
    expect(await seriousViolations(ana, 'phone board (en)')).toEqual([]);
    await ana.getByRole('button', { name: en['lang.other'] }).click();

    // The other axis is one tap away.
    await ben.getByRole('button', { name: /^Inclusion sociale/ }).click();
    await addCard(ben, 'Lieux de rencontre accessibles');
    await ana.getByRole('button', { name: /^Inclusion sociale/ }).click();
    await ana.getByText('Lieux de rencontre accessibles', { exact: true }).waitFor({ timeout: 1000 });

    // The projector shows one axis at a time in large type, live.
    const projector = await suite.desktop({ width: 1280, height: 720 });
    await projector.goto(`${suite.url}${pathOf(created.links.projector)}`);
    await projector.getByText('Transport collectif entre les municipalités rurales').waitFor();
    await screenshot(projector, 'boards-02-projector');
    expect(await seriousViolations(projector, 'projector board')).toEqual([]);

    // The console sees every card; hiding one (with a reason) takes it off the phones and the wall.
    const panel = facilitator.getByRole('region', { name: fr['boardAdmin.title'] });
    await panel.getByText('Campagne régionale de lutte aux préjugés', { exact: true }).waitFor();
    await screenshot(facilitator, 'boards-03-console');
    expect(await seriousViolations(facilitator, 'console board')).toEqual([]);
    await panel.getByLabel(fr['boardAdmin.hideCard'].replace('{text}', 'Campagne régionale de lutte aux préjugés')).selectOption('off-topic');
    await ana.getByRole('button', { name: /^Approche systémique/ }).click();
    await ana.getByText('Campagne régionale de lutte aux préjugés', { exact: true }).waitFor({ state: 'detached', timeout: 1000 });
    await projector.getByText('Campagne régionale de lutte aux préjugés').waitFor({ state: 'detached', timeout: 1000 });
    await panel
      .getByText(fr['boardAdmin.hiddenCount'].replace('{count, plural, one {# carton masqué} other {# cartons masqués}}', '1 carton masqué'))
      .waitFor();
  }, 90_000);

  it('[BRD2] at tables: two phones of one table see each other’s cards; the facilitator reports one back to the plenary board', async () => {
    const created = await guestCommand(suite.url, 'event:create', setup);
    const [ana, ben] = [await suite.joinPhone(created, 'Ana'), await suite.joinPhone(created, 'Ben')];
    const facilitator = await suite.desktop({ width: 1280, height: 900 });
    await facilitator.goto(`${suite.url}${pathOf(created.links.facilitator)}`);
    await facilitator.getByRole('button', { name: suite.startLabel('Idées aux tables') }).click();

    await ana.getByText(fr['group.yourTable']).waitFor({ timeout: 2000 });
    await addCard(ana, 'Rembourser les frais de garde des personnes citoyennes');
    await ben.getByText('Rembourser les frais de garde des personnes citoyennes', { exact: true }).waitFor({ timeout: 1000 });
    await addCard(ben, 'Documenter les causes de la pauvreté avec les personnes qui la vivent');
    await ana.getByText('Documenter les causes de la pauvreté avec les personnes qui la vivent', { exact: true }).waitFor({ timeout: 1000 });
    expect(await horizontalOverflow(ben)).toBe(0);
    await screenshot(ben, 'boards-04-phone-table');
    expect(await seriousViolations(ben, 'phone table board')).toEqual([]);

    await facilitator.getByText(fr['boardAdmin.harvestShow']).click();
    const plenary = facilitator.getByRole('region', { name: fr['boardAdmin.title'] });
    expect(await plenary.getByText('Rembourser les frais de garde des personnes citoyennes').count()).toBe(0);
    await facilitator
      .getByRole('button', { name: fr['boardAdmin.promoteCard'].replace('{text}', 'Rembourser les frais de garde des personnes citoyennes') })
      .click();
    await plenary.getByText('Rembourser les frais de garde des personnes citoyennes', { exact: true }).waitFor({ timeout: 1000 });
    await facilitator.getByText(fr['boardAdmin.reported']).first().waitFor();
    await screenshot(facilitator, 'boards-05-console-harvest');
    expect(await seriousViolations(facilitator, 'console harvest')).toEqual([]);

    // The overview: every table's cards side by side; report one back from there.
    await facilitator.getByRole('button', { name: fr['overview.show'] }).click();
    const overview = facilitator.getByRole('region', { name: fr['overview.title'] });
    const cause = 'Documenter les causes de la pauvreté avec les personnes qui la vivent';
    await overview.getByText(cause, { exact: true }).waitFor();
    await overview.getByRole('button', { name: fr['boardAdmin.promoteCard'].replace('{text}', cause) }).click();
    await plenary.getByText(cause, { exact: true }).waitFor({ timeout: 1000 });
    await screenshot(facilitator, 'boards-06-console-overview');
    expect(await seriousViolations(facilitator, 'console overview')).toEqual([]);
  }, 90_000);

  it('[BRD3] a card written during a network drop appears once, on every phone, when the network is back', async () => {
    const created = await guestCommand(suite.url, 'event:create', setup);
    const [ana, ben] = [await suite.joinPhone(created, 'Ana'), await suite.joinPhone(created, 'Ben')];
    const facilitator = await suite.desktop();
    await facilitator.goto(`${suite.url}${pathOf(created.links.facilitator)}`);
    await facilitator.getByRole('button', { name: suite.startLabel('Une idée par carton') }).click();
    await ana.getByRole('button', { name: fr['board.addOpen'] }).waitFor({ timeout: 2000 });
    await ben.getByRole('button', { name: fr['board.addOpen'] }).waitFor({ timeout: 2000 });
    // Both boards are connected: a first card goes across.
    await addCard(ben, 'Avant la coupure');
    await ana.getByText('Avant la coupure', { exact: true }).waitFor({ timeout: 5000 });

    await suite.contextOf(ana)?.setOffline(true);
    await ana.getByText(fr['board.offline']).first().waitFor({ timeout: 5000 });
    await addCard(ana, 'Écrit pendant la coupure');
    await ana.getByText('Écrit pendant la coupure', { exact: true }).waitFor();
    // Meanwhile Ben, still online, writes too: both sides merge when Ana is back.
    await addCard(ben, 'Écrit par Ben pendant la coupure');
    await ben.getByText('Écrit par Ben pendant la coupure', { exact: true }).waitFor();

    await suite.contextOf(ana)?.setOffline(false);
    await ben.getByText('Écrit pendant la coupure', { exact: true }).waitFor({ timeout: 10_000 });
    await ana.getByText('Écrit par Ben pendant la coupure', { exact: true }).waitFor({ timeout: 10_000 });
    // A card Ana writes once back travels after anything her page sent before it (one connection,
    // in order): once Ben has it, a second copy of the first card would have arrived too.
    await addCard(ana, 'Écrit après la coupure');
    await ben.getByText('Écrit après la coupure', { exact: true }).waitFor({ timeout: 5000 });
    expect(await ben.getByText('Écrit pendant la coupure', { exact: true }).count()).toBe(1);
    expect(await ana.getByText('Écrit pendant la coupure', { exact: true }).count()).toBe(1);
    expect(await ana.getByText('Écrit par Ben pendant la coupure', { exact: true }).count()).toBe(1);
    // And it is on the server for good: a fresh page sees it once too.
    await ben.reload();
    await ben.getByText('Écrit pendant la coupure', { exact: true }).waitFor({ timeout: 5000 });
    expect(await ben.getByText('Écrit pendant la coupure', { exact: true }).count()).toBe(1);
  }, 90_000);
});
