/**
 * Small-cell suppression for figures about people: any count of 1 to 4 people is hidden ("< 5"),
 * and when exactly one cell of a row is hidden, the next smallest is hidden too, so that the shown
 * total cannot give the hidden cell back by subtraction ([SC1], [SC2]).
 */
export const SUPPRESSION_THRESHOLD = 5;

export type SuppressedCount = { shown: true; count: number } | { shown: false; reason: 'small' | 'complementary' };

export interface Cell<K extends string = string> {
  key: K;
  count: number;
}

export function suppressCells<K extends string>(cells: readonly Cell<K>[]): { key: K; value: SuppressedCount }[] {
  const small = (n: number) => n > 0 && n < SUPPRESSION_THRESHOLD;
  const result = cells.map((c): { key: K; value: SuppressedCount } => ({
    key: c.key,
    value: small(c.count) ? { shown: false, reason: 'small' } : { shown: true, count: c.count },
  }));
  const hidden = cells.filter((c) => small(c.count)).length;
  if (hidden === 1) {
    // [SC2] Hide the smallest other non-zero cell; if there is none, the total itself is the leak
    // and the caller hides it (see suppressTotal).
    let best = -1;
    cells.forEach((c, i) => {
      if (small(c.count) || c.count === 0) return;
      if (best === -1 || c.count < (cells[best]?.count ?? Infinity)) best = i;
    });
    const target = result[best];
    if (target) target.value = { shown: false, reason: 'complementary' };
  }
  return result;
}

/** The total of a row: hidden when it is small, or when it equals a single hidden cell. */
export function suppressTotal(cells: readonly Cell[]): SuppressedCount {
  const total = cells.reduce((s, c) => s + c.count, 0);
  if (total > 0 && total < SUPPRESSION_THRESHOLD) return { shown: false, reason: 'small' };
  const nonZero = cells.filter((c) => c.count > 0);
  if (nonZero.length === 1 && (nonZero[0]?.count ?? 0) < SUPPRESSION_THRESHOLD) return { shown: false, reason: 'small' };
  const withComplement = suppressCells(cells);
  const hiddenCount = withComplement.filter((c) => !c.value.shown).length;
  if (hiddenCount === 1) return { shown: false, reason: 'complementary' };
  return { shown: true, count: total };
}
