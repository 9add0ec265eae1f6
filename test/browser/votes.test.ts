import { describe, expect, inject, it } from 'vitest';
import { fr } from '../../shared/i18n/fr.ts';
import type { EventSetupInput } from '../../shared/schemas/event.ts';
import { browserSuite, guestCommand, horizontalOverflow, pathOf, screenshot, seriousViolations } from './helpers.ts';

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
  const suite = browserSuite(chromiumPath ?? '');

  const plus = (text: string) => fr['vote.plus'].replace('{text}', text);
  const minus = (text: string) => fr['vote.minus'].replace('{text}', text);

  it('[DVB1] a phone casts and moves dots, and sees the results once the facilitator closes the vote', async () => {
    const created = await guestCommand(suite.url, 'event:create', setup);
    const phone = await suite.joinPhone(created, 'Rose');
    const facilitator = await suite.desktop({ width: 1280, height: 900 });
    await facilitator.goto(`${suite.url}${pathOf(created.links.facilitator)}`);
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
    const projector = await suite.desktop({ width: 1280, height: 720 });
    await projector.goto(`${suite.url}${pathOf(created.links.projector)}`);
    await projector.getByText(fr['voteProjector.open']).waitFor();
    expect(await projector.getByText(fr['vote.results']).count()).toBe(0);
    await facilitator.getByRole('button', { name: fr['voteAdmin.close'] }).click();
    // The projector reveals the results at close: bars, and a table as their text alternative.
    await projector.getByRole('table', { name: fr['vote.tableCaption'] }).waitFor({ timeout: 1000 });
    await screenshot(projector, 'votes-04-projector');
    expect(await seriousViolations(projector, 'projector results')).toEqual([]);

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
