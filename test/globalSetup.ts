import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    chromiumPath: string | null;
  }
}

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** Browser tests need a real Chromium: required in CI, skipped with one clear line elsewhere. */
export default function setup(project: TestProject): void {
  const wanted = process.env.CHROMIUM_PATH;
  const found = wanted ? (existsSync(wanted) ? wanted : null) : (CANDIDATES.find((p) => existsSync(p)) ?? null);
  if (!found && process.env.CI) {
    throw new Error('Browser tests are required in CI and no Chromium was found (apt-get install -y chromium, or set CHROMIUM_PATH).');
  }
  if (!found) {
    process.stdout.write('Browser tests skipped: Chromium not found (install it with `apt-get install chromium` or set CHROMIUM_PATH).\n');
  }
  project.provide('chromiumPath', found);
}
