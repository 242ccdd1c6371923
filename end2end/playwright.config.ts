import { defineConfig } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

// The release binary is started with a fresh database per run, on a port the
// system says is free (or FRONTLINE_E2E_PORT), so a busy port never fails
// the run. Set FRONTLINE_E2E_URL to test a server that is already running.
// The port goes into the environment: worker processes read this file again
// and must reach the same server.
process.env.FRONTLINE_E2E_PORT ??= freePort();
const port = Number(process.env.FRONTLINE_E2E_PORT);
const external = process.env.FRONTLINE_E2E_URL;
const baseURL = external ?? `http://127.0.0.1:${port}`;
const repo = path.resolve(__dirname, '..');
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(repo, 'target');
const dataDir = path.join(targetDir, 'e2e-data');
const binary = path.join(targetDir, 'release', 'frontline');

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  workers: 2,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: {
      // Playwright cannot download browsers here: use the system's Chromium.
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'desktop', use: { viewport: { width: 1280, height: 800 } } },
    {
      name: 'phone',
      use: { viewport: { width: 375, height: 812 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 },
    },
  ],
  webServer: external
    ? undefined
    : {
        // Demo data gives one account of each role (README lists them).
        command: `rm -rf "${dataDir}" && "${binary}" demo-data --size 60 && "${binary}"`,
        url: `${baseURL}/readyz`,
        timeout: 60_000,
        reuseExistingServer: false,
        stdout: 'pipe',
        stderr: 'pipe',
        env: {
          FRONTLINE_LISTEN: `127.0.0.1:${port}`,
          FRONTLINE_DATA_DIR: dataDir,
          FRONTLINE_SITE_ROOT: path.join(targetDir, 'site'),
          FRONTLINE_LOG: process.env.FRONTLINE_LOG ?? 'warn',
          FRONTLINE_CONFIG: path.join(__dirname, 'frontline-e2e.toml'),
          // The SLA watcher looks every two seconds instead of every minute.
          FRONTLINE_SLA_WATCH_SECONDS: '2',
        },
      },
});

/** A port nothing listens on now; asked synchronously, as the config is not async. */
function freePort(): string {
  const ask =
    "const s = require('node:net').createServer();" +
    "s.listen(0, '127.0.0.1', () => { process.stdout.write(String(s.address().port)); s.close(); });";
  return execFileSync(process.execPath, ['-e', ask], { encoding: 'utf8' }).trim();
}
