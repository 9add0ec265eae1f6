import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderProtocolDoc } from '../../scripts/protocol-doc.ts';

describe('[DOC1] docs/PROTOCOL.md', () => {
  it('matches the protocol module (run `npm run docs:protocol` after changing it)', () => {
    expect(readFileSync('docs/PROTOCOL.md', 'utf8')).toBe(renderProtocolDoc());
  });
});
