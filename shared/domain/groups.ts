/**
 * Breakout groups: who sits at which table. Pure and deterministic: the same people, tables, mode
 * and seed always give the same placement, so an assignment can be shown again after a restart.
 */

export type AssignMode = 'random' | 'balanced' | 'peer' | 'self' | 'manual';

export interface Person {
  id: string;
  category: string | null;
  territory: string | null;
  /** People on one shared device share a unit id (their own id otherwise): a unit sits together. */
  unit: string;
}

export interface Table {
  id: string;
  /** Sits at this table in every round. */
  hostId: string | null;
}

const MAX_TABLES = 200;
const NONE = '\u0000none';

/** [GR1] How many tables: an explicit count, or ceil(people / size); at least 1, at most 200 and at most one per person. */
export function tableCount(people: number, spec: { count?: number; size?: number }): number {
  const wanted = spec.count ?? Math.ceil(people / Math.max(1, spec.size ?? 8));
  return Math.max(1, Math.min(wanted, MAX_TABLES, Math.max(1, people)));
}

/** A seeded generator in [0, 1): cyrb128 of the seed feeding sfc32. */
export function prng(seed: string): () => number {
  let h1 = 1779033703,
    h2 = 3144134277,
    h3 = 1013904242,
    h4 = 2773480762;
  for (let i = 0; i < seed.length; i++) {
    const k = seed.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  let a = (h1 ^ h2 ^ h3 ^ h4) >>> 0,
    b = (h2 ^ h1) >>> 0,
    c = (h3 ^ h1) >>> 0,
    d = (h4 ^ h1) >>> 0;
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    const r = (t + d) | 0;
    c = (c + r) | 0;
    return (r >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: readonly T[], seed: string): T[] {
  const out = [...items];
  const random = prng(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

interface Unit {
  key: string;
  people: Person[];
  /** The table a host fixes this unit to. */
  fixed: number | null;
}

function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function unitsOf(people: readonly Person[], tables: readonly Table[]): Unit[] {
  const hostTable = new Map<string, number>();
  tables.forEach((t, i) => t.hostId && hostTable.set(t.hostId, i));
  const units = new Map<string, Unit>();
  for (const p of [...people].sort(byId)) {
    let unit = units.get(p.unit);
    if (!unit) units.set(p.unit, (unit = { key: p.unit, people: [], fixed: null }));
    unit.people.push(p);
    const fixed = hostTable.get(p.id);
    if (fixed !== undefined) unit.fixed ??= fixed;
  }
  return [...units.values()];
}

const cat = (p: Person) => `c:${p.category ?? NONE}`;
const terr = (p: Person) => `t:${p.territory ?? NONE}`;

/** Table sizes and counts of every attribute value per table, kept up to date as people move. */
class Seating {
  readonly size: number[];
  readonly counts: Map<string, number>[];
  readonly at = new Map<string, number>();

  constructor(readonly tables: number) {
    this.size = Array<number>(tables).fill(0);
    this.counts = Array.from({ length: tables }, () => new Map<string, number>());
  }

  count(t: number, value: string): number {
    return this.counts[t]?.get(value) ?? 0;
  }

  seat(p: Person, t: number): void {
    this.at.set(p.id, t);
    this.size[t] = (this.size[t] ?? 0) + 1;
    const c = this.counts[t];
    if (!c) return;
    for (const v of [cat(p), terr(p)]) c.set(v, (c.get(v) ?? 0) + 1);
  }

  unseat(p: Person): void {
    const t = this.at.get(p.id);
    if (t === undefined) return;
    this.at.delete(p.id);
    this.size[t] = (this.size[t] ?? 0) - 1;
    const c = this.counts[t];
    if (!c) return;
    for (const v of [cat(p), terr(p)]) c.set(v, (c.get(v) ?? 0) - 1);
  }

  placement(tables: readonly Table[]): Map<string, string> {
    const out = new Map<string, string>();
    for (const [id, t] of this.at) {
      const table = tables[t];
      if (table) out.set(id, table.id);
    }
    return out;
  }
}

function argmin(candidates: readonly number[], score: (t: number) => number[]): number {
  let best = candidates[0] ?? 0;
  let bestScore = score(best);
  for (const t of candidates.slice(1)) {
    const s = score(t);
    for (let i = 0; i < s.length; i++) {
      const a = s[i] ?? 0,
        b = bestScore[i] ?? 0;
      if (a < b) {
        best = t;
        bestScore = s;
        break;
      }
      if (a > b) break;
    }
  }
  return best;
}

/** Distance of each count from the band [floor, ceil] of its fair share, summed: 0 when balanced. */
function balancePenalty(s: Seating, totals: ReadonlyMap<string, number>): number {
  let penalty = 0;
  for (const [value, total] of totals) {
    const lo = Math.floor(total / s.tables),
      hi = Math.ceil(total / s.tables);
    for (let t = 0; t < s.tables; t++) {
      const n = s.count(t, value);
      penalty += n > hi ? n - hi : n < lo ? lo - n : 0;
    }
  }
  return penalty;
}

function totalsOf(people: readonly Person[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const p of people) for (const v of [cat(p), terr(p)]) totals.set(v, (totals.get(v) ?? 0) + 1);
  return totals;
}

function cellPenalty(n: number, lo: number, hi: number): number {
  return n > hi ? n - hi : n < lo ? lo - n : 0;
}

/** Change in the balance penalty if a (at ta) and b (at tb) swapped tables. */
function swapDelta(s: Seating, totals: ReadonlyMap<string, number>, a: Person, ta: number, b: Person, tb: number): number {
  let delta = 0;
  for (const [va, vb] of [
    [cat(a), cat(b)],
    [terr(a), terr(b)],
  ] as const) {
    if (va === vb) continue;
    for (const [value, ga, gb] of [
      [va, -1, +1],
      [vb, +1, -1],
    ] as const) {
      const total = totals.get(value) ?? 0;
      const lo = Math.floor(total / s.tables),
        hi = Math.ceil(total / s.tables);
      const na = s.count(ta, value),
        nb = s.count(tb, value);
      delta += cellPenalty(na + ga, lo, hi) - cellPenalty(na, lo, hi) + cellPenalty(nb + gb, lo, hi) - cellPenalty(nb, lo, hi);
    }
  }
  return delta;
}

/** [GR3] Local search: swap single people between tables while it lowers the balance penalty. */
function improveBalance(s: Seating, movable: readonly Person[], totals: ReadonlyMap<string, number>): void {
  let penalty = balancePenalty(s, totals);
  const limit = movable.length * 4;
  // Bounded work: a few million swap checks at most, whatever the size of the room.
  let budget = 1_000_000;
  const delta = (a: Person, ta: number, b: Person, tb: number) => {
    budget--;
    return swapDelta(s, totals, a, ta, b, tb);
  };
  for (let round = 0; penalty > 0 && round < limit && budget > 0; round++) {
    let best: { a: Person; b: Person; ta: number; tb: number; delta: number } | null = null;
    for (const a of movable) {
      const ta = s.at.get(a.id);
      if (ta === undefined) continue;
      const va = cat(a),
        wa = terr(a);
      const ca = totals.get(va) ?? 0,
        cw = totals.get(wa) ?? 0;
      // Only people whose category or territory is over its share at their table can help.
      if (
        s.count(ta, va) <= Math.ceil(ca / s.tables) &&
        s.count(ta, wa) <= Math.ceil(cw / s.tables) &&
        s.count(ta, va) >= Math.floor(ca / s.tables) &&
        s.count(ta, wa) >= Math.floor(cw / s.tables)
      )
        continue;
      for (const b of movable) {
        if (budget <= 0) return;
        const tb = s.at.get(b.id);
        if (tb === undefined || tb === ta) continue;
        const d = delta(a, ta, b, tb);
        if (d < (best?.delta ?? 0)) best = { a, b, ta, tb, delta: d };
      }
      if (best) break;
    }
    if (!best) {
      // Also try moves that help a table short of a value.
      for (const a of movable) {
        const ta = s.at.get(a.id);
        if (ta === undefined) continue;
        for (const b of movable) {
          if (budget <= 0) return;
          const tb = s.at.get(b.id);
          if (tb === undefined || tb <= ta) continue;
          const d = delta(a, ta, b, tb);
          if (d < (best?.delta ?? 0)) best = { a, b, ta, tb, delta: d };
        }
        if (best) break;
      }
    }
    if (!best) return;
    s.unseat(best.a);
    s.unseat(best.b);
    s.seat(best.a, best.tb);
    s.seat(best.b, best.ta);
    penalty += best.delta;
  }
}

function seatUnit(s: Seating, unit: Unit, t: number): void {
  for (const p of unit.people) s.seat(p, t);
}

/**
 * The tables a unit may join without making sizes differ by more than one (all of them if none):
 * with `total` people, only total mod tables of them may reach the larger size.
 */
function roomFor(s: Seating, unitSize: number, total: number): number[] {
  const lo = Math.floor(total / s.tables),
    hi = Math.ceil(total / s.tables);
  const extra = total - lo * s.tables;
  const all = Array.from({ length: s.tables }, (_, i) => i);
  const above = all.filter((t) => (s.size[t] ?? 0) > lo).length;
  const open = all.filter((t) => {
    const size = s.size[t] ?? 0;
    if (size + unitSize > hi) return false;
    return size + unitSize <= lo || size > lo || above < extra;
  });
  return open.length ? open : all;
}

/** [GR2] Peer groups: tables given to categories so that sizes stay near the average. */
function peerTables(units: readonly Unit[], tables: number): Map<string, number[]> {
  const byCat = new Map<string, number>();
  for (const u of units) for (const p of u.people) if (p.category) byCat.set(p.category, (byCat.get(p.category) ?? 0) + 1);
  const total = units.reduce((n, u) => n + u.people.length, 0);
  const average = total / tables;
  const eligible = [...byCat.entries()]
    .filter(([, n]) => n >= average / 2)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, tables);
  const k = new Map(eligible.map(([c]) => [c, 1]));
  for (let left = tables - eligible.length; left > 0; left--) {
    let best: string | null = null;
    let bestLoad = -1;
    for (const [c, n] of eligible) {
      const load = n / (k.get(c) ?? 1);
      if (load > bestLoad) {
        best = c;
        bestLoad = load;
      }
    }
    if (best === null) break;
    k.set(best, (k.get(best) ?? 1) + 1);
  }
  const out = new Map<string, number[]>();
  let next = 0;
  for (const [c] of eligible) {
    const n = k.get(c) ?? 1;
    out.set(
      c,
      Array.from({ length: n }, (_, i) => next + i),
    );
    next += n;
  }
  return out;
}

/**
 * [GR2] The first round. Random: equal sizes. Balanced: every category and territory spread so that
 * counts differ by at most one where the numbers allow it. Peer: one category per table, except the
 * tables that absorb remainders. Self-select and manual: only hosts are placed.
 * Returns participant id → table id.
 */
export function assign(people: readonly Person[], tables: readonly Table[], mode: AssignMode, seed: string): Map<string, string> {
  const s = new Seating(tables.length);
  if (!tables.length) return new Map();
  const units = unitsOf(people, tables);
  for (const u of units) if (u.fixed !== null) seatUnit(s, u, u.fixed);
  if (mode === 'self' || mode === 'manual') return s.placement(tables);
  const free = shuffle(
    units.filter((u) => u.fixed === null),
    seed,
  ).sort((a, b) => b.people.length - a.people.length);
  const total = people.length;
  const tieOrder = shuffle(
    Array.from({ length: tables.length }, (_, i) => i),
    `${seed}:tables`,
  );
  const tie = new Map(tieOrder.map((t, i) => [t, i]));

  if (mode === 'random') {
    for (const u of free)
      seatUnit(
        s,
        u,
        argmin(roomFor(s, u.people.length, total), (t) => [s.size[t] ?? 0, tie.get(t) ?? 0]),
      );
    return s.placement(tables);
  }

  if (mode === 'peer') {
    const own = peerTables(free, tables.length);
    const rest: Unit[] = [];
    for (const u of free) {
      const first = u.people[0];
      const mine = first?.category ? own.get(first.category) : undefined;
      if (!mine) rest.push(u);
      else
        seatUnit(
          s,
          u,
          argmin(mine, (t) => [s.size[t] ?? 0, tie.get(t) ?? 0]),
        );
    }
    const all = Array.from({ length: tables.length }, (_, i) => i);
    for (const u of rest)
      seatUnit(
        s,
        u,
        argmin(all, (t) => [s.size[t] ?? 0, tie.get(t) ?? 0]),
      );
    return s.placement(tables);
  }

  // Balanced: greedy by category and territory, then swaps of single people.
  const ordered = [...free].sort((a, b) => {
    const pa = a.people[0],
      pb = b.people[0];
    if (!pa || !pb) return 0;
    return b.people.length - a.people.length || cat(pa).localeCompare(cat(pb)) || terr(pa).localeCompare(terr(pb));
  });
  for (const u of ordered) {
    const p = u.people[0];
    if (!p) continue;
    seatUnit(
      s,
      u,
      argmin(roomFor(s, u.people.length, total), (t) => [s.count(t, cat(p)), s.count(t, terr(p)), s.size[t] ?? 0, tie.get(t) ?? 0]),
    );
  }
  const movable = free.filter((u) => u.people.length === 1).flatMap((u) => u.people);
  improveBalance(s, movable, totalsOf(people));
  return s.placement(tables);
}

function seatingFrom(people: readonly Person[], placement: ReadonlyMap<string, string>, tables: readonly Table[]): Seating {
  const index = new Map(tables.map((t, i) => [t.id, i]));
  const s = new Seating(tables.length);
  for (const p of people) {
    const tableId = placement.get(p.id);
    const t = tableId === undefined ? undefined : index.get(tableId);
    if (t !== undefined) s.seat(p, t);
  }
  return s;
}

/**
 * [GR5] Someone who arrives once tables are made (a late joiner, a second person on a tablet) is
 * placed by the same rule: with their device's companions first; random, the smallest table;
 * balanced, the table with fewest of their category (then territory, then people); peer, the
 * smallest table of their category. Self-select and manual: nobody is placed for them (null).
 */
export function placeLate(
  person: Person,
  people: readonly Person[],
  placement: ReadonlyMap<string, string>,
  tables: readonly Table[],
  mode: AssignMode,
  seed: string,
): string | null {
  if (!tables.length) return null;
  const companion = people.find((p) => p.unit === person.unit && p.id !== person.id && placement.has(p.id));
  if (companion) return placement.get(companion.id) ?? null;
  const host = tables.find((t) => t.hostId === person.id);
  if (host) return host.id;
  if (mode === 'self' || mode === 'manual') return null;
  const s = seatingFrom(
    people.filter((p) => p.id !== person.id),
    placement,
    tables,
  );
  const tie = new Map(
    shuffle(
      Array.from({ length: tables.length }, (_, i) => i),
      seed,
    ).map((t, i) => [t, i]),
  );
  const all = Array.from({ length: tables.length }, (_, i) => i);
  let t: number;
  if (mode === 'balanced') {
    t = argmin(all, (x) => [s.count(x, cat(person)), s.count(x, terr(person)), s.size[x] ?? 0, tie.get(x) ?? 0]);
  } else if (mode === 'peer' && person.category) {
    const value = cat(person);
    // Tables of their category: where it is the most common one.
    const theirs = all.filter((x) => {
      const mine = s.count(x, value);
      if (!mine) return false;
      for (const [v, n] of s.counts[x] ?? []) if (v.startsWith('c:') && n > mine) return false;
      return true;
    });
    t = argmin(theirs.length ? theirs : all, (x) => [s.size[x] ?? 0, tie.get(x) ?? 0]);
  } else {
    t = argmin(all, (x) => [s.size[x] ?? 0, tie.get(x) ?? 0]);
  }
  return tables[t]?.id ?? null;
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/** How many times each pair sat at one table in the rounds given. */
function meetings(rounds: readonly ReadonlyMap<string, string>[]): Map<string, number> {
  const met = new Map<string, number>();
  for (const round of rounds) {
    const atTable = new Map<string, string[]>();
    for (const [person, table] of round) {
      const list = atTable.get(table);
      if (list) list.push(person);
      else atTable.set(table, [person]);
    }
    for (const members of atTable.values()) {
      for (let i = 0; i < members.length; i++) {
        for (let j = i + 1; j < members.length; j++) {
          const key = pairKey(members[i] ?? '', members[j] ?? '');
          met.set(key, (met.get(key) ?? 0) + 1);
        }
      }
    }
  }
  return met;
}

/** [GR6] Pairs who sat together more than once: each extra meeting counts one. */
export function repeatedPairs(rounds: readonly ReadonlyMap<string, string>[]): number {
  let repeated = 0;
  for (const n of meetings(rounds).values()) if (n > 1) repeated += n - 1;
  return repeated;
}

/**
 * [GR6] World café: the next round. Hosts stay at their tables; everyone else moves so that pairs who
 * already sat together meet again as little as possible, with sizes differing by at most one (and,
 * balanced, categories and territories still spread as a second goal).
 */
export function rotate(
  people: readonly Person[],
  tables: readonly Table[],
  previous: readonly ReadonlyMap<string, string>[],
  mode: AssignMode,
  seed: string,
): Map<string, string> {
  if (!tables.length) return new Map();
  const met = meetings(previous);
  const s = new Seating(tables.length);
  const units = unitsOf(people, tables);
  for (const u of units) if (u.fixed !== null) seatUnit(s, u, u.fixed);
  const members: string[][] = Array.from({ length: tables.length }, () => []);
  for (const [id, t] of s.at) members[t]?.push(id);
  const tie = new Map(
    shuffle(
      Array.from({ length: tables.length }, (_, i) => i),
      `${seed}:tables`,
    ).map((t, i) => [t, i]),
  );
  // Who met whom, and for each person how many people they already met sit at each table.
  const neighbours = new Map<string, [string, number][]>();
  for (const [key, n] of met) {
    const [a = '', b = ''] = key.split('|');
    (neighbours.get(a) ?? neighbours.set(a, []).get(a))?.push([b, n]);
    (neighbours.get(b) ?? neighbours.set(b, []).get(b))?.push([a, n]);
  }
  const metAt = new Map<string, Map<number, number>>();
  const seated = (id: string, t: number) => {
    for (const [other, n] of neighbours.get(id) ?? []) {
      const at = metAt.get(other) ?? metAt.set(other, new Map()).get(other);
      at?.set(t, (at.get(t) ?? 0) + n);
    }
  };
  for (const [id, t] of s.at) seated(id, t);
  const seen = (unit: Unit, t: number): number => {
    let n = 0;
    for (const p of unit.people) n += metAt.get(p.id)?.get(t) ?? 0;
    return n;
  };
  const free = shuffle(
    units.filter((u) => u.fixed === null),
    seed,
  ).sort((a, b) => b.people.length - a.people.length);
  for (const u of free) {
    const p = u.people[0];
    if (!p) continue;
    const balance = (t: number) => (mode === 'balanced' ? s.count(t, cat(p)) + s.count(t, terr(p)) : 0);
    const t = argmin(roomFor(s, u.people.length, people.length), (x) => [seen(u, x), balance(x), s.size[x] ?? 0, tie.get(x) ?? 0]);
    seatUnit(s, u, t);
    for (const q of u.people) {
      members[t]?.push(q.id);
      seated(q.id, t);
    }
  }
  // A few passes of swaps between single people that lower the meetings again (small rooms only:
  // past a thousand people the greedy pass is kept as it is).
  const movable = free.filter((u) => u.people.length === 1).flatMap((u) => u.people);
  if (movable.length <= 1000) {
    const cost = (id: string, t: number, except: string) =>
      (members[t] ?? []).reduce((n, other) => (other === id || other === except ? n : n + (met.get(pairKey(id, other)) ?? 0)), 0);
    const totals = totalsOf(people);
    for (let pass = 0; pass < 3; pass++) {
      let improved = false;
      for (const a of movable) {
        const ta = s.at.get(a.id);
        if (ta === undefined || cost(a.id, ta, '') === 0) continue;
        for (const b of movable) {
          const tb = s.at.get(b.id);
          if (tb === undefined || tb === ta) continue;
          const before = cost(a.id, ta, '') + cost(b.id, tb, '');
          const after = cost(a.id, tb, b.id) + cost(b.id, ta, a.id);
          if (after >= before) continue;
          if (mode === 'balanced' && swapDelta(s, totals, a, ta, b, tb) > 0) continue;
          s.unseat(a);
          s.unseat(b);
          s.seat(a, tb);
          s.seat(b, ta);
          members[ta] = (members[ta] ?? []).filter((x) => x !== a.id).concat(b.id);
          members[tb] = (members[tb] ?? []).filter((x) => x !== b.id).concat(a.id);
          improved = true;
          break;
        }
      }
      if (!improved) break;
    }
  }
  return s.placement(tables);
}

/** [GR7] Self-select: a table may be chosen while it has room for the whole unit. */
export function canChoose(tableId: string, placement: ReadonlyMap<string, string>, cap: number, unitSize: number): boolean {
  let seated = 0;
  for (const t of placement.values()) if (t === tableId) seated++;
  return seated + unitSize <= cap;
}
