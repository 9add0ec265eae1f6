import { describe, expect, inject, it } from 'vitest';
import { formatJoinCode } from '../../shared/domain/joinCode.ts';
import { fr } from '../../shared/i18n/fr.ts';
import type { EventSetupInput } from '../../shared/schemas/event.ts';
import { browserSuite, guestCommand, pathOf, screenshot, seriousViolations } from './helpers.ts';

const chromiumPath = inject('chromiumPath');

const setup: EventSetupInput = {
  title: 'Forum des exports',
  date: '2026-11-19',
  place: 'Rimouski',
  axes: [{ title: 'Approche systémique' }],
  territories: ['Kamouraska'],
  categories: [{ key: 'citoyen', title: 'Personne citoyenne' }],
  agenda: [{ kind: 'questions', title: 'Questions', minutes: 20 }],
};

describe.skipIf(!chromiumPath)('browser: exports and retention', () => {
  const suite = browserSuite(chromiumPath ?? '');

  it('[EXB1] the console downloads the bilan and the data, sets a purge date and purges with the code; the phone is signed out', async () => {
    const created = await guestCommand(suite.url, 'event:create', setup);
    const phone = await suite.joinPhone(created, 'Rose');
    const console = await suite.desktop({ width: 1280, height: 900 });
    await console.goto(`${suite.url}${pathOf(created.links.facilitator)}`);
    const panel = console.getByRole('region', { name: fr['exports.title'] });

    const [docx] = await Promise.all([console.waitForEvent('download'), panel.getByRole('button', { name: fr['exports.bilanDocx'] }).click()]);
    expect(docx.suggestedFilename()).toBe('forum-des-exports-bilan.docx');
    const [xlsx] = await Promise.all([console.waitForEvent('download'), panel.getByRole('button', { name: fr['exports.xlsx'] }).click()]);
    expect(xlsx.suggestedFilename()).toBe('forum-des-exports-donnees.xlsx');
    await panel.getByText(fr['exports.ready'].replace('{name}', 'forum-des-exports-donnees.xlsx')).waitFor();

    const soon = new Date(Date.now() + 3 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
    await panel.getByLabel(fr['retention.dateLabel']).fill(soon);
    await panel.getByRole('button', { name: fr['common.save'] }).click();
    await panel.getByText(/Exportez le bilan et l’archive avant/).waitFor();
    await screenshot(console, 'exports-01-console');
    expect(await seriousViolations(console, 'console exports')).toEqual([]);

    await panel.getByRole('button', { name: fr['retention.purgeNow'] }).click();
    await panel.getByLabel(fr['retention.confirmLabel'].replace('{code}', formatJoinCode(created.event.joinCode))).fill('nope');
    await panel.getByRole('button', { name: fr['retention.confirmPurge'] }).click();
    await panel.getByText(fr['error.purge_not_confirmed']).waitFor();
    await panel.getByLabel(fr['retention.confirmLabel'].replace('{code}', formatJoinCode(created.event.joinCode))).fill(created.event.joinCode);
    await panel.getByRole('button', { name: fr['retention.confirmPurge'] }).click();
    await panel.getByText(/Données personnelles purgées le/).waitFor();
    // The phone's token is gone: it is told its link no longer works.
    await phone.getByRole('heading', { level: 1, name: fr['invalid.title'] }).waitFor({ timeout: 8000 });
  }, 90_000);
});
