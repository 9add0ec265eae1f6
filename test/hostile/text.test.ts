/**
 * [HR-TEXT] Text that draws over other content or reorders it, and [HR-MD] text that would be read
 * as markup in the FAQ's Markdown export: cleaned on the way in, refused on boards, escaped on the
 * way out.
 */
import { describe, expect, it } from 'vitest';
import { hostileRoom } from './room.ts';
import { boardName } from '../../shared/domain/boards.ts';
import { MAX_COMBINING_MARKS, cleanText, isSafeText } from '../../shared/domain/text.ts';
import { escapeMarkdown } from '../../server/exports/faq-text.ts';
import { createEventWithStaff, joinAs } from '../integration/fixtures.ts';
import { must } from '../integration/harness.ts';
import { openBoard, storedCards, until } from '../integration/yjs.ts';

const room = hostileRoom('text');
const providers = room.providers;
const RLO = '\u202E';
const ZALGO = 'e' + '\u0301'.repeat(300);

describe('[HR-TEXT] text that draws over or reorders the screen', () => {
  it('[HR-TEXT] cleaning: NFC, no bidirectional overrides, combining marks capped; accents and newlines kept', () => {
    expect(cleanText(`  Cafe\u0301 ${RLO}gnol\u202C  `)).toBe('Café gnol');
    // NFC makes the first mark part of the letter; the marks left over are capped.
    expect(cleanText(ZALGO)).toBe('é' + '\u0301'.repeat(MAX_COMBINING_MARKS));
    expect(cleanText('Ligne 1\nLigne 2 : ǘ, Tiếng Việt')).toBe('Ligne 1\nLigne 2 : ǘ, Tiếng Việt');
    expect(isSafeText(`abc${RLO}`)).toBe(false);
    expect(isSafeText('Déjà vu')).toBe(true);
  });

  it('[HR-TEXT] a question is stored cleaned; a board card that is not clean is refused, a clean one passes', async () => {
    const ev = await createEventWithStaff(room.h);
    await must(ev.facilitator.socket, 'questions:configure', { eventId: ev.eventId, changes: { anyTime: true } });
    const p = await joinAs(room.h, ev.code);
    const { question } = await must(p.socket, 'question:ask', { eventId: ev.eventId, text: `Quand ${RLO}? ${ZALGO}`, ownerToken: 'owner-token-text-000001' });
    expect(question.text).toBe(`Quand ? é${'\u0301'.repeat(MAX_COMBINING_MARKS)}`);

    const axis = 'approche-systemique';
    const doc = boardName({ eventId: ev.eventId, scope: { kind: 'plenary' }, axis });
    const step = await must(ev.facilitator.socket, 'step:add', { eventId: ev.eventId, step: { kind: 'board', title: 'Idées' } });
    await must(ev.facilitator.socket, 'step:start', { eventId: ev.eventId, stepId: step.id });
    const bad = openBoard(room.h.url, p.joined.token, doc, providers);
    await bad.synced;
    bad.cards.set('card-bidi-0001', { id: 'card-bidi-0001', text: `Idée ${RLO}renversée`, axis, colour: 'yellow' });
    expect(await bad.closed).toBe(1008);
    const good = openBoard(room.h.url, p.joined.token, doc, providers);
    await good.synced;
    good.cards.set('card-clean-001', { id: 'card-clean-001', text: cleanText(`Idée ${RLO}remise droite`), axis, colour: 'yellow' });
    await until(good.ydoc, () => good.cards.has('card-clean-001'));
    const stored = storedCards(room.h.db, doc);
    expect(stored.has('card-bidi-0001')).toBe(false);
    await expect.poll(() => storedCards(room.h.db, doc).get('card-clean-001')?.text, { timeout: 3000 }).toBe('Idée remise droite');
  });
});

describe('[HR-MD] the FAQ as Markdown', () => {
  it('[HR-MD] HTML, links and headings typed in a question come out as literal text', async () => {
    expect(escapeMarkdown('<script>alert(1)</script>')).toBe('\\<script\\>alert\\(1\\)\\</script\\>');
    expect(escapeMarkdown('[lien](javascript:alert(1)) # **gras**')).toBe('\\[lien\\]\\(javascript:alert\\(1\\)\\) \\# \\*\\*gras\\*\\*');
    expect(escapeMarkdown('Qui siège à la Table régionale?')).toBe('Qui siège à la Table régionale?');
  });
});
