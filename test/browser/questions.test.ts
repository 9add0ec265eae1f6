import { describe, expect, inject, it } from 'vitest';
import { en } from '../../shared/i18n/en.ts';
import { fr } from '../../shared/i18n/fr.ts';
import { documentsFr } from '../../shared/i18n/documents.fr.ts';
import type { EventSetupInput } from '../../shared/schemas/event.ts';
import { browserSuite, guestCommand, horizontalOverflow, pathOf, screenshot, seriousViolations } from './helpers.ts';

const chromiumPath = inject('chromiumPath');

const setup: EventSetupInput = {
  title: 'Forum des questions',
  date: '2026-11-19',
  place: 'Rimouski',
  axes: [{ title: 'Approche systémique' }, { title: 'Inclusion sociale' }],
  territories: ['Kamouraska', 'Rimouski-Neigette'],
  categories: [{ key: 'citoyen', title: 'Personne citoyenne' }],
  agenda: [
    { kind: 'questions', title: 'Période de questions', minutes: 30 },
    { kind: 'evaluation', title: 'Évaluation de la journée', minutes: 10 },
  ],
};

const QUESTION = 'Est-ce que les personnes citoyennes seront compensées pour leur participation?';
const ANSWER = 'Oui : une compensation est prévue pour chaque rencontre.';

describe.skipIf(!chromiumPath)('browser: questions, FAQ and evaluation', () => {
  const suite = browserSuite(chromiumPath ?? '');

  it('[QUB1] a phone asks and supports; the facilitator answers and publishes; phone, projector and public page show the FAQ entry', async () => {
    const created = await guestCommand(suite.url, 'event:create', setup);
    const phone = await suite.joinPhone(created, 'Rose');
    const other = await suite.joinPhone(created, 'Paul');
    const facilitator = await suite.desktop({ width: 1280, height: 900 });
    await facilitator.goto(`${suite.url}${pathOf(created.links.facilitator)}`);
    await facilitator.getByRole('button', { name: suite.startLabel('Période de questions') }).click();

    // Asking: the phone warns about a person's name before sending.
    const box = phone.getByLabel(fr['questions.textLabel']);
    await box.waitFor({ timeout: 2000 });
    await box.fill('Est-ce que Jean Tremblay sera compensé?');
    await phone.getByRole('button', { name: fr['questions.send'] }).click();
    await phone.getByText(fr['questions.personal.name']).waitFor();
    await box.fill(QUESTION);
    await phone.getByRole('button', { name: fr['questions.send'] }).click();
    await phone.getByText(fr['questions.sent']).waitFor();
    await phone.getByRole('heading', { name: fr['questions.mineTitle'] }).waitFor();
    expect(await horizontalOverflow(phone)).toBe(0);
    await screenshot(phone, 'questions-01-phone-asked');
    expect(await seriousViolations(phone, 'phone questions')).toEqual([]);

    // Another phone supports it; the asker sees the count, and no support button on their own.
    const support = other.getByRole('button', { name: `${fr['questions.support']} : ${QUESTION}` });
    await support.click();
    await other.getByRole('button', { name: `${fr['questions.supported']} : ${QUESTION}`, pressed: true }).waitFor();
    await phone.getByText('1 appui', { exact: true }).first().waitFor();
    expect(await phone.getByRole('button', { name: new RegExp(`^${fr['questions.support']}`) }).count()).toBe(0);

    // The facilitator answers, tags, projects it as being answered, and adds it to the FAQ.
    const row = facilitator.getByRole('listitem').filter({ hasText: QUESTION }).first();
    await row.getByLabel(fr['questionsAdmin.answer']).fill(ANSWER);
    await row.getByLabel(fr['questionsAdmin.theme']).fill('Inclusion sociale');
    await row.getByRole('button', { name: fr['common.save'] }).click();
    await row.getByRole('button', { name: fr['questionsAdmin.spotlight'] }).click();
    const projector = await suite.desktop({ width: 1280, height: 720 });
    await projector.goto(`${suite.url}${pathOf(created.links.projector)}`);
    await projector.getByText(fr['questions.beingAnswered']).waitFor();
    await projector.getByText(QUESTION).first().waitFor();
    await screenshot(projector, 'questions-02-projector');
    expect(await seriousViolations(projector, 'projector questions')).toEqual([]);

    await row.getByRole('button', { name: fr['questionsAdmin.toFaq'] }).click();
    const faq = facilitator.getByRole('region', { name: fr['faqAdmin.title'] });
    await faq.getByLabel(fr['faqAdmin.question']).fill('Les personnes citoyennes sont-elles compensées?');
    await faq.getByRole('button', { name: fr['common.save'] }).click();
    await faq.getByRole('button', { name: new RegExp(`^${fr['faqAdmin.publish']}`) }).click();
    await faq.getByText(fr['faqAdmin.isPublished'], { exact: false }).first().waitFor();
    await screenshot(facilitator, 'questions-03-console');
    expect(await seriousViolations(facilitator, 'console questions')).toEqual([]);

    // The phone shows the published entry under its theme.
    await phone.getByText(fr['faq.title'], { exact: true }).click();
    await phone.getByRole('heading', { name: 'Les personnes citoyennes sont-elles compensées?' }).waitFor({ timeout: 1000 });
    await phone.getByRole('heading', { name: 'Inclusion sociale' }).waitFor();
    await phone.getByText(ANSWER).first().waitFor();
    expect(await horizontalOverflow(phone)).toBe(0);
    await screenshot(phone, 'questions-04-phone-faq');
    // The same screen in English: every string translated, nothing for axe to flag.
    await phone.getByRole('button', { name: fr['lang.other'] }).click();
    await phone.getByRole('heading', { name: en['questions.askTitle'] }).waitFor();
    expect(await horizontalOverflow(phone)).toBe(0);
    expect(await seriousViolations(phone, 'phone questions (en)')).toEqual([]);
    await phone.getByRole('button', { name: en['lang.other'] }).click();

    // The projector switches to the FAQ; the public page shows it too, and follows changes live.
    await facilitator.getByLabel(fr['questionsAdmin.projector']).selectOption('faq');
    await projector.getByRole('heading', { name: 'Les personnes citoyennes sont-elles compensées?' }).waitFor({ timeout: 1000 });
    const faqUrl = await facilitator.getByLabel(fr['faqAdmin.publicLink']).inputValue();
    const reader = await suite.desktop({ width: 360, height: 780 });
    await reader.goto(faqUrl);
    await reader.getByRole('heading', { level: 1, name: fr['faq.title'] }).waitFor();
    await reader.getByText(ANSWER).waitFor();
    expect(await seriousViolations(reader, 'public faq')).toEqual([]);
    await screenshot(reader, 'questions-05-public-faq');
    await faq.getByRole('button', { name: new RegExp(`^${fr['faqAdmin.unpublish']}`) }).click();
    await reader.getByText(fr['faq.empty']).waitFor({ timeout: 1000 });
  }, 120_000);

  it('[EVB1] a phone answers the evaluation and changes an answer; the console shows the response rate and the distribution', async () => {
    const created = await guestCommand(suite.url, 'event:create', setup);
    const phone = await suite.joinPhone(created, 'Rose');
    await suite.joinPhone(created, 'Paul');
    const facilitator = await suite.desktop({ width: 1280, height: 900 });
    await facilitator.goto(`${suite.url}${pathOf(created.links.facilitator)}`);
    await facilitator.getByRole('button', { name: suite.startLabel('Évaluation de la journée') }).click();

    const useful = phone.getByRole('group', { name: documentsFr['evaluation.default.useful'] });
    await useful.waitFor({ timeout: 2000 });
    await useful.getByRole('radio', { name: '4', exact: true }).check();
    await phone.getByLabel(documentsFr['evaluation.default.improve'], { exact: false }).fill('Plus de pauses');
    expect(await horizontalOverflow(phone)).toBe(0);
    await screenshot(phone, 'evaluation-01-phone');
    expect(await seriousViolations(phone, 'phone evaluation')).toEqual([]);
    await phone.getByRole('button', { name: fr['evaluation.send'] }).click();
    await phone.getByText(fr['evaluation.thanks']).waitFor();

    await facilitator.getByText('1 réponse sur 2 personnes').waitFor({ timeout: 1000 });
    await facilitator.getByText('Plus de pauses', { exact: true }).first().waitFor();
    // The phone changes its mind: still one response.
    await phone.getByRole('button', { name: fr['evaluation.edit'] }).click();
    await phone.getByRole('group', { name: documentsFr['evaluation.default.useful'] }).getByRole('radio', { name: '5', exact: true }).check();
    await phone.getByRole('button', { name: fr['evaluation.saveChanges'] }).click();
    await phone.getByText(fr['evaluation.thanks']).waitFor();
    const table = facilitator.getByRole('table', { name: fr['evaluationAdmin.tableCaption'].replace('{text}', documentsFr['evaluation.default.useful']) });
    await expect.poll(() => table.getByRole('row', { name: '5 1' }).count()).toBe(1);
    await facilitator.getByText('1 réponse sur 2 personnes').waitFor();
    await screenshot(facilitator, 'evaluation-02-console');
    expect(await seriousViolations(facilitator, 'console evaluation')).toEqual([]);
  }, 90_000);
});
