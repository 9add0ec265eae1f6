import { describe, expect, it } from 'vitest';
import { cleanAnswers, responseRate, summarizeScale } from '../../shared/domain/evaluation.ts';
import { hiddenByReason, sortQuestions } from '../../shared/domain/questions.ts';

describe('evaluation figures', () => {
  it('[EVAL-SCALE] counts each score, the mean and the share of 4s and 5s; skipped or bad values are left out', () => {
    expect(summarizeScale([5, 4, 4, 3, 1, 5, 0, 6, 2.5])).toEqual({ counts: [1, 0, 1, 2, 2], answers: 6, mean: 22 / 6, topShare: 4 / 6 });
    expect(summarizeScale([])).toEqual({ counts: [0, 0, 0, 0, 0], answers: 0, mean: null, topShare: null });
  });

  it('[EVAL-RATE] the response rate is responses over people, capped at 1', () => {
    expect(responseRate(75, 150)).toBe(0.5);
    expect(responseRate(3, 2)).toBe(1);
    expect(responseRate(0, 0)).toBeNull();
  });

  it('[EVAL-CLEAN] answers must match the form: known items, numbers for scales, text for open questions', () => {
    const items = [
      { id: 'useful', kind: 'scale' as const },
      { id: 'improve', kind: 'text' as const },
    ];
    expect(cleanAnswers(items, { useful: 4, improve: '' })).toEqual({ useful: 4 });
    expect(cleanAnswers(items, { useful: null, improve: 'Plus de pauses' })).toEqual({ improve: 'Plus de pauses' });
    expect(cleanAnswers(items, { useful: 'quatre' })).toBeNull();
    expect(cleanAnswers(items, { improve: 3 })).toBeNull();
    expect(cleanAnswers(items, { other: 3 })).toBeNull();
  });
});

describe('question lists', () => {
  const qs = [
    { id: 'a', seq: 1, supports: 4 },
    { id: 'b', seq: 2, supports: 9 },
    { id: 'c', seq: 3, supports: 4 },
  ];
  it('[QU5] sorts by support (ties: most recent first) or by recency', () => {
    expect(sortQuestions(qs, 'support').map((q) => q.id)).toEqual(['b', 'c', 'a']);
    expect(sortQuestions(qs, 'recent').map((q) => q.id)).toEqual(['c', 'b', 'a']);
  });
  it('[QU6] counts hidden questions by reason', () => {
    const list = [
      { status: 'hidden', hideReason: 'off-topic' },
      { status: 'hidden', hideReason: 'off-topic' },
      { status: 'hidden', hideReason: 'personal-data' },
      { status: 'visible', hideReason: null },
    ];
    expect(hiddenByReason(list)).toEqual({ 'off-topic': 2, 'personal-data': 1 });
  });
});
