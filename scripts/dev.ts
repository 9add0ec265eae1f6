/**
 * Development: the server (restarted on change) on :3000 (or PORT) and Vite's dev server on :5173,
 * which passes /api, /socket.io and the board documents' WebSocket (/yjs/) on to it (vite.config.ts).
 * Open http://localhost:5173.
 */
import { spawn } from 'node:child_process';

const env = { ...process.env, PUBLIC_URL: process.env.PUBLIC_URL ?? 'http://localhost:5173' };
const children = [
  spawn('node_modules/.bin/tsx', ['watch', 'server/main.ts'], { stdio: 'inherit', env }),
  spawn('node_modules/.bin/vite', ['--port', '5173'], { stdio: 'inherit', env }),
];
const stop = () => {
  for (const c of children) c.kill('SIGTERM');
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const c of children) c.on('exit', stop);
