// What the browser benchmarks share: a fresh demo desk on the release
// server, on a free port, and signing its people in without a page.

import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const repo = path.resolve(import.meta.dirname, '..', '..');
const target = process.env.CARGO_TARGET_DIR ?? path.join(repo, 'target');
const binary = path.join(target, 'release', 'frontline');

/** The demo accounts' password (README). */
export const PASSWORD = 'frontline-demo';

export function fail(bench, message) {
  console.error(`${bench} bench: ${message}`);
  process.exit(2);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Fills a fresh SQLite desk with `size` demo tickets and starts the release server on it. */
export async function startDesk(bench, size) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `frontline-${bench}-bench-`));
  const port = await freePort();
  const env = {
    ...process.env,
    FRONTLINE_LISTEN: `127.0.0.1:${port}`,
    FRONTLINE_DATA_DIR: dataDir,
    FRONTLINE_SITE_ROOT: path.join(target, 'site'),
    FRONTLINE_LOG: 'warn',
  };
  execFileSync(binary, ['demo-data', '--size', String(size)], { env, stdio: 'ignore' });
  const server = spawn(binary, [], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  for (let tries = 0; ; tries++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) break;
    } catch {}
    if (tries > 300) fail(bench, `the server on ${base} did not become ready`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    stop() {
      server.kill('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Signs `email` in through the server function, as the sign-in form does; returns their person id. */
export async function signIn(bench, request, base, email) {
  const answer = await request.post(`${base}/api/sign_in`, {
    form: { email, password: PASSWORD },
    headers: { Origin: base },
  });
  if (!answer.ok()) fail(bench, `signing in ${email} answered ${answer.status()}`);
  return (await answer.json()).id;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
