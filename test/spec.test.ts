import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * A rule ID as docs/SPEC.md defines it: capitals and digits (two at least), optional -PARTs, in
 * brackets, not glued to a name before it (`ServerEvents[E]`) and followed by a space or another ID
 * (an array literal like `[AXIS],` is not one).
 */
const RULE_ID = /(?<![\w$])\[([A-Z]{2,}[A-Z0-9]*(?:-[A-Z0-9]+)*)\](?=[\s[])/g;

const idsIn = (text: string): string[] => [...text.matchAll(RULE_ID)].map((m) => m[1] ?? '');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|svelte|js|mjs)$/.test(entry.name) ? [path] : [];
  });
}

/** The title strings of it / test / describe calls (with .skipIf(...), .each and the like in between). */
function testTitles(source: string): string[] {
  const calls = /\b(?:it|test|describe)(?:\.\w+(?:\([^)]*\))?)*\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g;
  return [...source.matchAll(calls)].map((m) => m[2] ?? '');
}

const spec = readFileSync('docs/SPEC.md', 'utf8');
const specIds = new Set(
  spec
    .split('\n')
    .filter((line) => line.startsWith('- ['))
    .flatMap((line) => idsIn(line).slice(0, 1)),
);
const quoted = new Map<string, string[]>();
for (const file of ['server', 'shared', 'client', 'scripts', 'test'].flatMap(sourceFiles)) {
  for (const id of idsIn(readFileSync(file, 'utf8'))) quoted.set(id, [...(quoted.get(id) ?? []), file]);
}
const tested = new Set(sourceFiles('test').flatMap((file) => testTitles(readFileSync(file, 'utf8')).flatMap(idsIn)));

describe('[SPEC] docs/SPEC.md', () => {
  it('the ID pattern takes rule IDs and leaves indexes and array literals alone', () => {
    expect(idsIn("it('[DV-BUDGET] the budget', …); /** [RS1][RS2] steps */ [EV-ANON]\n")).toEqual(['DV-BUDGET', 'RS1', 'RS2', 'EV-ANON']);
    expect(idsIn('payload: ServerEvents[E]; const a = list[0]; axes: [AXIS], x: string[] ; [N] = 1; [A] b')).toEqual([]);
  });

  it('defines each rule once, on a line of its own', () => {
    const defined = spec
      .split('\n')
      .filter((line) => line.startsWith('- ['))
      .map((line) => idsIn(line)[0]);
    expect(defined.filter((id, i) => defined.indexOf(id) !== i)).toEqual([]);
    expect(specIds.size).toBeGreaterThan(100);
  });

  it('lists every rule ID quoted in the code and the tests', () => {
    const missing = [...quoted.keys()].filter((id) => !specIds.has(id)).map((id) => `${id} (${quoted.get(id)?.join(', ')})`);
    expect(missing).toEqual([]);
  });

  it('[SPEC] has a test quoting each rule in its title', () => {
    expect([...specIds].filter((id) => !tested.has(id))).toEqual([]);
  });
});
