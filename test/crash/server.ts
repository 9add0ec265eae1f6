import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The real server process (server/main.ts) on one data folder, started and killed with SIGKILL as
 * many times as a test wants; `cleanup` kills what is left and removes the folder.
 */
export function crashableServer(prefix: string) {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const children: ChildProcess[] = [];

  async function start(port = 0): Promise<{ child: ChildProcess; url: string; port: number }> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, CLIENT_DIR: join(dataDir, 'no-client') },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    const listening = await new Promise<number>((resolve, reject) => {
      let buffer = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        for (const line of buffer.split('\n')) {
          if (!line.includes('"msg":"listening"')) continue;
          resolve((JSON.parse(line) as { port: number }).port);
        }
      });
      child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    return { child, url: `http://127.0.0.1:${listening}`, port: listening };
  }

  function kill(child: ChildProcess): Promise<void> {
    return new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  function cleanup(): void {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }

  return { dataDir, start, kill, cleanup };
}
