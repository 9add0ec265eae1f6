import { describe, expect, inject, it } from 'vitest';
import { en } from '../../shared/i18n/en.ts';
import { fr } from '../../shared/i18n/fr.ts';
import type { EventSetupInput } from '../../shared/schemas/event.ts';
import { browserSuite, guestCommand, horizontalOverflow, pathOf, screenshot, seriousViolations } from './helpers.ts';

const chromiumPath = inject('chromiumPath');

const setup: EventSetupInput = {
  title: 'Forum des tables',
  date: '2026-11-19',
  place: 'Rimouski',
  axes: [{ title: 'Approche systémique' }, { title: 'Inclusion sociale' }],
  territories: ['Kamouraska', 'La Mitis'],
  categories: [
    { key: 'citoyen', title: 'Personne citoyenne' },
    { key: 'communautaire', title: 'Organisme communautaire' },
  ],
  agenda: [
    { kind: 'plenary', title: 'Accueil', minutes: 20 },
    {
      kind: 'breakout',
      title: 'Atelier en tables',
      minutes: 25,
      breakout: { mode: 'random', size: 3, rounds: 2, task: 'Quels gestes simples favorisent la participation?' },
    },
  ],
};

const t = (template: string, values: Record<string, string | number>) => template.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ''));

describe.skipIf(!chromiumPath)('browser: breakout groups', () => {
  const suite = browserSuite(chromiumPath ?? '');

  it('[GRB1] a phone shows its table, the task and the host once the round starts, then returns to the plenary', async () => {
    const created = await guestCommand(suite.url, 'event:create', setup);
    // Four people join by socket so that there are several tables.
    for (const name of ['Amélie', 'Bruno', 'Chantal', 'Denis']) {
      await guestCommand(suite.url, 'participant:join', { code: created.event.joinCode, displayName: name });
    }
    const rose = await suite.joinPhone(created, 'Rose');

    const facilitator = await suite.desktop({ width: 1280, height: 900 });
    await facilitator.goto(`${suite.url}${pathOf(created.links.facilitator)}`);
    await facilitator.getByRole('heading', { level: 2, name: fr['console.runSheetTitle'] }).waitFor();
    const projector = await suite.desktop({ width: 1280, height: 720 });
    await projector.goto(`${suite.url}${pathOf(created.links.projector)}`);
    await projector.getByRole('heading', { level: 1, name: created.event.title }).waitFor();

    const startLabel = `${fr['console.startStep']} ${fr['console.aboutStep'].replace('{title}', 'Atelier en tables')}`;
    await facilitator.getByRole('button', { name: startLabel }).click();

    // The phone: its table number in large type, the round, the task.
    const yourTable = rose.getByText(fr['group.yourTable']);
    await yourTable.waitFor({ timeout: 1000 });
    const heading = await rose.locator('#table-title').textContent();
    expect(heading).toMatch(/^Table [12]$/);
    await rose.getByText('Quels gestes simples favorisent la participation?').waitFor();
    await rose.getByText(t(fr['group.round'], { round: 1, rounds: 2 })).waitFor();
    expect(await horizontalOverflow(rose)).toBe(0);
    await screenshot(rose, 'groups-01-phone-table');
    expect(await seriousViolations(rose, 'phone table')).toEqual([]);

    // The console: every table with its people; name Rose host of her table.
    await facilitator.getByRole('heading', { level: 2, name: fr['group.consoleTitle'] }).waitFor();
    await facilitator.getByLabel(fr['group.hostLabel']).first().waitFor();
    const hostSelect = facilitator.getByRole('listitem', { name: new RegExp(`^${heading ?? ''} `) }).getByLabel(fr['group.hostLabel']);
    await hostSelect.selectOption({ label: 'Rose' });
    await rose.getByText(fr['group.youHost']).waitFor({ timeout: 1000 });
    await screenshot(facilitator, 'groups-02-console');
    expect(await seriousViolations(facilitator, 'console groups')).toEqual([]);

    // The projector: the tables and their numbers.
    await projector.getByRole('heading', { level: 2, name: /^2 tables/ }).waitFor();
    await screenshot(projector, 'groups-03-projector');
    expect(await seriousViolations(projector, 'projector groups')).toEqual([]);

    // The table's boards are under it; the host reports a card back to the plenary from her phone.
    await rose.getByRole('button', { name: fr['board.addOpen'] }).click();
    await rose.keyboard.type('Des horaires adaptés aux personnes qui travaillent');
    await rose.getByRole('button', { name: fr['board.add'], exact: true }).click();
    await rose.getByRole('button', { name: fr['boardAdmin.promoteCard'].replace('{text}', 'Des horaires adaptés aux personnes qui travaillent') }).click();
    await rose.locator('p.meta').getByText(fr['boardAdmin.reported']).waitFor({ timeout: 1000 });
    await facilitator
      .getByRole('region', { name: fr['boardAdmin.title'] })
      .getByText('Des horaires adaptés aux personnes qui travaillent', { exact: true })
      .waitFor({ timeout: 1000 });

    // The next round: Rose hosts, so she stays.
    await facilitator.getByRole('button', { name: fr['group.nextRound'] }).click();
    await rose.getByText(t(fr['group.round'], { round: 2, rounds: 2 })).waitFor({ timeout: 1000 });
    expect(await rose.locator('#table-title').textContent()).toBe(heading);

    // English on the phone.
    await rose.getByRole('button', { name: fr['lang.other'] }).click();
    await rose.getByText(en['group.yourTable']).waitFor();
    expect(await seriousViolations(rose, 'phone table (en)')).toEqual([]);
    await rose.getByRole('button', { name: en['lang.other'] }).click();

    // Back to the plenary.
    await facilitator.getByRole('button', { name: fr['group.callBack'] }).click();
    await rose.getByRole('heading', { level: 2, name: fr['group.backToPlenary'] }).waitFor({ timeout: 1000 });
    await screenshot(rose, 'groups-04-phone-plenary');
  }, 90_000);
});
