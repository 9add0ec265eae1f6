import { describe, expect, it } from 'vitest';
import { applyDot, defaultBudget, itemOrder, rank, runoffItems, spent, suppressTable, talliesVisible, type Allocation } from '../../shared/domain/voting.ts';

const items = new Set(['a', 'b', 'c', 'd', 'e', 'f']);
const open = { budget: 2, cap: 1, open: true, items };

function cast(allocation: Allocation, moves: [string, 1 | -1][], rules = open): Map<string, number> {
  let current = new Map(allocation);
  for (const [item, delta] of moves) {
    const r = applyDot(current, item, delta, rules);
    if (!r.ok) throw new Error(r.code);
    current = r.data;
  }
  return current;
}

describe('[DV-BUDGET] dots per person', () => {
  it('is items ÷ 3 rounded down, at least 1, at most 20', () => {
    expect(defaultBudget(0)).toBe(1);
    expect(defaultBudget(2)).toBe(1);
    expect(defaultBudget(3)).toBe(1);
    expect(defaultBudget(14)).toBe(4);
    expect(defaultBudget(60)).toBe(20);
    expect(defaultBudget(300)).toBe(20);
  });

  it('is never exceeded', () => {
    const two = cast(new Map(), [
      ['a', 1],
      ['b', 1],
    ]);
    expect(applyDot(two, 'c', 1, open)).toEqual({ ok: false, code: 'vote_budget_spent' });
    expect(spent(two)).toBe(2);
  });
});

describe('[DV-CAP] dots on one item', () => {
  it('stops at the cap (3 by default, editable)', () => {
    const rules = { budget: 10, cap: 3, open: true, items };
    const three = cast(
      new Map(),
      [
        ['a', 1],
        ['a', 1],
        ['a', 1],
      ],
      rules,
    );
    expect(applyDot(three, 'a', 1, rules)).toEqual({ ok: false, code: 'vote_cap_reached' });
    expect(applyDot(three, 'b', 1, rules).ok).toBe(true);
  });
});

describe('[DV-CHANGES] moving dots until close', () => {
  it('takes a dot back and puts it elsewhere; never below zero; nothing once closed; unknown items refused', () => {
    const placed = cast(new Map(), [
      ['a', 1],
      ['b', 1],
    ]);
    const moved = cast(placed, [
      ['a', -1],
      ['c', 1],
    ]);
    expect([...moved].sort()).toEqual([
      ['b', 1],
      ['c', 1],
    ]);
    expect(applyDot(moved, 'a', -1, open)).toEqual({ ok: false, code: 'vote_no_dot_here' });
    expect(applyDot(moved, 'zz', 1, open)).toEqual({ ok: false, code: 'vote_item_unknown' });
    expect(applyDot(moved, 'b', -1, { ...open, open: false })).toEqual({ ok: false, code: 'vote_not_open' });
  });
});

describe('[DV-ORDER] stable shuffle per person', () => {
  it('is the same for a person every time, differs between people, and keeps every item', () => {
    const list = [...items].map((id) => ({ id }));
    const once = itemOrder(list, 'vote-1', 'person-1').map((i) => i.id);
    expect(itemOrder([...list].reverse(), 'vote-1', 'person-1').map((i) => i.id)).toEqual(once);
    expect([...once].sort()).toEqual([...items].sort());
    const others = Array.from({ length: 10 }, (_, k) =>
      itemOrder(list, 'vote-1', `person-${k + 2}`)
        .map((i) => i.id)
        .join(),
    );
    expect(new Set([once.join(), ...others]).size).toBeGreaterThan(3);
  });
});

describe('[DV-HIDDEN] hidden until close', () => {
  it('shows tallies to the room only once closed, unless the vote is live; facilitators always', () => {
    expect(talliesVisible({ mode: 'hidden', status: 'open' }, 'room')).toBe(false);
    expect(talliesVisible({ mode: 'hidden', status: 'draft' }, 'room')).toBe(false);
    expect(talliesVisible({ mode: 'hidden', status: 'closed' }, 'room')).toBe(true);
    expect(talliesVisible({ mode: 'live', status: 'open' }, 'room')).toBe(true);
    expect(talliesVisible({ mode: 'hidden', status: 'open' }, 'facilitator')).toBe(true);
  });
});

describe('[DV-TIES] ranking at close', () => {
  it('gives equal dots the same rank and marks them as ties', () => {
    const ranked = rank([
      { id: 'a', dots: 5 },
      { id: 'b', dots: 9 },
      { id: 'c', dots: 5 },
      { id: 'd', dots: 1 },
    ]);
    expect(ranked.map((r) => [r.id, r.rank, r.tied])).toEqual([
      ['b', 1, false],
      ['a', 2, true],
      ['c', 2, true],
      ['d', 4, false],
    ]);
  });
});

describe('[DV-RUNOFF] run-off items', () => {
  const ranked = rank([
    { id: 'a', dots: 9 },
    { id: 'b', dots: 7 },
    { id: 'c', dots: 7 },
    { id: 'd', dots: 3 },
  ]);
  it('takes the top K, with everything tied with the K-th', () => {
    expect(runoffItems(ranked, { top: 1 })).toEqual(['a']);
    expect(runoffItems(ranked, { top: 2 })).toEqual(['a', 'b', 'c']);
    expect(runoffItems(ranked, { top: 10 })).toEqual(['a', 'b', 'c', 'd']);
  });
  it('or only the items tied at a rank', () => {
    expect(runoffItems(ranked, { tiedAt: 2 })).toEqual(['b', 'c']);
    expect(runoffItems(ranked, { tiedAt: 1 })).toEqual([]);
  });
});

describe('[DV-SUPPRESS] results by category with small cells hidden', () => {
  const hiddenAt = (table: ReturnType<typeof suppressTable>) =>
    table.flatMap((row, r) => row.map((cell, c) => (cell.shown ? null : `${r},${c}:${cell.reason}`))).filter(Boolean);

  it('hides counts under 5 and leaves zeros and larger counts', () => {
    expect(hiddenAt(suppressTable([[0, 12, 7]]))).toEqual([]);
    expect(suppressTable([[3, 0, 0]])[0]?.[0]).toEqual({ shown: false, reason: 'small' });
  });

  it('hides a complementary cell so that a row total cannot give a hidden cell back', () => {
    // Row 0: 3 is small; its row total would reveal it, so the smallest other (6) is hidden too.
    expect(hiddenAt(suppressTable([[3, 6, 10]]))).toEqual(['0,0:small', '0,1:complementary']);
  });

  it('does the same down the columns, until no row or column has a lone hidden cell', () => {
    const table = suppressTable([
      [2, 8, 9],
      [7, 6, 11],
      [9, 12, 15],
    ]);
    const hidden = hiddenAt(table);
    expect(hidden).toContain('0,0:small');
    for (let r = 0; r < 3; r++) {
      const inRow = table[r]?.filter((c) => !c.shown).length ?? 0;
      expect(inRow === 0 || inRow >= 2, `row ${r}`).toBe(true);
    }
    for (let c = 0; c < 3; c++) {
      const inCol = table.filter((row) => !row[c]?.shown).length;
      expect(inCol === 0 || inCol >= 2, `column ${c}`).toBe(true);
    }
  });
});
