import { spawn, type ChildProcess } from 'node:child_process';

/** A server process started by a test: its output so far, and how it ended once it has. */
export interface ServerProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the port of the first "listening" log line; rejects if the process exits first. */
  listening: Promise<number>;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>;
  /** Resolves with the first stdout line holding `needle`. */
  line(needle: string): Promise<string>;
  stop(): Promise<void>;
}

/** Spawns `node args…` in the repository with this environment, output captured. */
export function spawnServer(args: string[], env: NodeJS.ProcessEnv): ServerProcess {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters: { needle: string; resolve: (line: string) => void }[] = [];
  const scan = () => {
    for (const w of [...waiters]) {
      const found = out.split('\n').find((l) => l.includes(w.needle));
      if (found === undefined) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(found);
    }
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    scan();
  });
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const line = (needle: string) =>
    new Promise<string>((resolve, reject) => {
      waiters.push({ needle, resolve });
      scan();
      void exited.then((code) => reject(new Error(`server exited (${code}) before "${needle}": ${err.trim()}`)));
    });
  const listening = line('"msg":"listening"').then((l) => (JSON.parse(l) as { port: number }).port);
  // A test that only expects a failure never reads `listening`.
  listening.catch(() => {});
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    listening,
    exited,
    line,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}
