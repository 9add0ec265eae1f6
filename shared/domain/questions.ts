/**
 * Questions: pure, French-aware text rules. Similar questions for the moderator (accents, elision,
 * stop words, simple stemming), and a warning before sending when a text looks like it holds a
 * person's name, a phone number or an email address.
 */

/** Common French (and a few English) words that say nothing about what a question is about. */
const STOP_WORDS = new Set(
  (
    'a ai aie au aux avec avoir c ca ce ceci cela celle celles celui ces cet cette ceux chaque comme comment d dans de des du ' +
    'elle elles en est et etre eu eux fait faire il ils j je l la le les leur leurs lui m ma mais me meme mes moi mon n ne ni nos notre nous ' +
    'on ont ou par pas peut peuvent plus pour pourquoi qu quand que quel quelle quelles quels qui s sa sans se ses si son sont sur ' +
    't ta te tes toi ton tous tout toute toutes tu un une vos votre vous y ' +
    // Forms of être, avoir and aller, which say nothing either.
    'suis es sommes etes sera seront serait seraient etait etaient ete as avons avez aura auront avait avaient va vont ira iront ' +
    'the of and to in is are for what when how why who which do does can will'
  ).split(' '),
);

/** Lower case without accents: "Épicerie" → "epicerie". */
export function foldAccents(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/** A light French stemmer: plurals and the most common suffixes, enough to match "financements" and "financement". */
export function stem(word: string): string {
  let w = word;
  for (const suffix of [
    'issements',
    'issement',
    'ements',
    'ement',
    'ations',
    'ation',
    'ments',
    'ment',
    'euses',
    'euse',
    'eux',
    'ites',
    'ite',
    'ives',
    'ive',
    'ifs',
    'if',
  ]) {
    if (w.length - suffix.length >= 4 && w.endsWith(suffix)) {
      w = w.slice(0, -suffix.length);
      break;
    }
  }
  if (w.length > 4 && (w.endsWith('s') || w.endsWith('x'))) w = w.slice(0, -1);
  if (w.length > 4 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

/** [QU1] The words that carry meaning: accents folded, elisions split (l', d', qu'…), stop words out, stemmed. */
export function keywords(text: string): string[] {
  const folded = foldAccents(text).replace(/[’']/g, "'");
  const words = folded
    .replace(/\b(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu)'/g, ' ')
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1 && !STOP_WORDS.has(w));
  return words.map(stem);
}

/** [QU2] How alike two questions are, from 0 to 1 (Dice coefficient of their keywords). */
export function similarity(a: string, b: string): number {
  const ka = new Set(keywords(a));
  const kb = new Set(keywords(b));
  if (!ka.size || !kb.size) return 0;
  let shared = 0;
  for (const k of ka) if (kb.has(k)) shared++;
  return (2 * shared) / (ka.size + kb.size);
}

/** [QU2] The existing questions that look like this one, most alike first. */
export function similarQuestions<Q extends { id: string; text: string }>(
  text: string,
  existing: readonly Q[],
  threshold = 0.5,
): { question: Q; score: number }[] {
  return existing
    .map((question) => ({ question, score: similarity(text, question.text) }))
    .filter((m) => m.score >= threshold)
    .sort((a, b) => b.score - a.score);
}

export type PersonalData = 'email' | 'phone' | 'name';

const EMAIL = /[\p{L}0-9._%+-]+@[\p{L}0-9.-]+\.[a-z]{2,}/iu;
/** North American numbers however they are written: 418 555-1234, (418) 555 1234, +1 418.555.1234, 4185551234. */
const PHONE = /(?:\+?1[\s.-]?)?(?:\(\d{3}\)|\d{3})[\s.-]?\d{3}[\s.-]?\d{4}\b/;
const TITLES = /\b(?:M\.|Mme|Mlle|Monsieur|Madame|Mademoiselle|Dr|Dre|Docteur|Docteure|Me|Mr|Mrs|Ms)\s+\p{Lu}/u;
/** Two capitalised words in a row (Prénom Nom, Jean-Pierre Tremblay), not at the start of a sentence. */
const FULL_NAME = /(?<![.!?]\s|^)(?<!\p{L})\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?\s+\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?/gu;

/**
 * [QU3] What in a text looks like personal data, so that the phone can warn before sending. Names of
 * places and other words the event uses (territories, axes) are not taken for names.
 */
export function personalData(text: string, known: readonly string[] = []): PersonalData[] {
  const found: PersonalData[] = [];
  if (EMAIL.test(text)) found.push('email');
  if (PHONE.test(text.replace(EMAIL, ''))) found.push('phone');
  const familiar = new Set(known.flatMap((k) => foldAccents(k).split(/[^a-z0-9]+/)).filter(Boolean));
  const looksLikeName =
    TITLES.test(text) ||
    [...text.matchAll(FULL_NAME)].some((m) => {
      const words = foldAccents(m[0])
        .split(/[^a-z0-9]+/)
        .filter(Boolean);
      return !words.every((w) => familiar.has(w));
    });
  if (looksLikeName) found.push('name');
  return found;
}

/** [QU4] The questions the room sees: approved ones (visible), never pending, hidden or merged. */
export function onView(status: string): boolean {
  return status === 'visible';
}

/** [QU5] Most supported first (ties: most recent first), or most recent first. */
export function sortQuestions<Q extends { seq: number; supports: number }>(questions: readonly Q[], by: 'support' | 'recent'): Q[] {
  return [...questions].sort((a, b) => (by === 'support' ? b.supports - a.supports : 0) || b.seq - a.seq);
}

/** [QU6] Hidden questions counted by reason, for everyone to see what moderation did. */
export function hiddenByReason<R extends string>(questions: readonly { status: string; hideReason: R | null }[]): Partial<Record<R, number>> {
  const out: Partial<Record<R, number>> = {};
  for (const q of questions) if (q.status === 'hidden' && q.hideReason) out[q.hideReason] = (out[q.hideReason] ?? 0) + 1;
  return out;
}
