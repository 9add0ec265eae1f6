/**
 * The end-of-day evaluation: pure rules for its figures. The bilan reports the response rate and
 * the share of "good" and "very good" (4 and 5 on a 1-to-5 scale).
 */

export interface ScaleSummary {
  /** counts[0] is the number of 1s, counts[4] the number of 5s. */
  counts: number[];
  answers: number;
  mean: number | null;
  /** Share of 4s and 5s among those who answered, from 0 to 1. */
  topShare: number | null;
}

/** [EVAL-SCALE] Counts, mean and share of 4s and 5s of the answers to one scale (skipped answers left out). */
export function summarizeScale(values: readonly number[], scale = 5): ScaleSummary {
  const counts = Array.from({ length: scale }, () => 0);
  let sum = 0;
  let answers = 0;
  for (const v of values) {
    if (!Number.isInteger(v) || v < 1 || v > scale) continue;
    counts[v - 1] = (counts[v - 1] ?? 0) + 1;
    sum += v;
    answers++;
  }
  const top = counts.slice(Math.max(0, scale - 2)).reduce((a, b) => a + b, 0);
  return { counts, answers, mean: answers ? sum / answers : null, topShare: answers ? top / answers : null };
}

/** [EVAL-RATE] Responses over people who could answer, from 0 to 1 (null when nobody could). */
export function responseRate(responses: number, people: number): number | null {
  return people > 0 ? Math.min(1, responses / people) : null;
}

/** [EVAL-CLEAN] Answers kept from a submission: known items only, numbers for scales, non-empty text for open ones. */
export function cleanAnswers(
  items: readonly { id: string; kind: 'scale' | 'text' }[],
  answers: Record<string, number | string | null>,
): Record<string, number | string> | null {
  const out: Record<string, number | string> = {};
  for (const [id, value] of Object.entries(answers)) {
    const item = items.find((i) => i.id === id);
    if (!item) return null;
    if (value === null || value === '') continue;
    if ((item.kind === 'scale') !== (typeof value === 'number')) return null;
    out[id] = value;
  }
  return out;
}
