import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    chromiumPath: string | null;
    /** LibreOffice's soffice and poppler's pdftotext, to open exports as a person would. */
    office: { soffice: string; pdftotext: string } | null;
    /** redis-server, to run several server processes behind Socket.IO's Redis adapter. */
    redisServer: string | null;
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

  const soffice = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((p) => existsSync(p));
  const pdftotext = ['/usr/bin/pdftotext'].find((p) => existsSync(p));
  if ((!soffice || !pdftotext) && process.env.CI) {
    throw new Error(
      'Export tests are required in CI and LibreOffice or pdftotext is missing (apt-get install -y --no-install-recommends libreoffice-calc-nogui libreoffice-writer-nogui poppler-utils).',
    );
  }
  if (!soffice || !pdftotext) process.stdout.write('Export checks in LibreOffice skipped: soffice or pdftotext not found.\n');
  project.provide('office', soffice && pdftotext ? { soffice, pdftotext } : null);

  const onPath = (process.env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, 'redis-server'));
  const redisServer = ['/usr/bin/redis-server', ...onPath].find((p) => existsSync(p)) ?? null;
  if (!redisServer && process.env.CI) {
    throw new Error('Scaling tests are required in CI and redis-server was not found (apt-get install -y redis-server).');
  }
  if (!redisServer) process.stdout.write('Scaling tests skipped: redis-server not found (install it with `apt-get install redis-server`).\n');
  project.provide('redisServer', redisServer);
}
