// The live board with many cards, measured in Chromium: how long the board
// takes to show and come alive, and what one live change costs the page
// that receives it, for demo desks of several sizes.
//
//   node bench/board.mjs [--sizes 20000,200000] [--updates 15] [--cpu-slowdown 1]
//
// For each size it fills a fresh SQLite desk with `frontline demo-data`
// (about 1 % of the tickets are open), starts the release server on a free
// port, signs in as the demo administrator and opens /board. A browserless
// session of the top-tier agent then takes open cards one at a time through the
// real `change_incident` function; the board page times each `change`
// event from its arrival to the end of the work it caused (the event's
// handler, the reactive updates and DOM writes, which all run before the
// next task). Build the release site first (scripts/test.sh or scripts/run.sh).

import { chromium } from '@playwright/test';
import { startDesk, signIn as signInAs, median, fail as failAs } from './desk.mjs';

const fail = (message) => failAs('board', message);
const options = parseOptions(process.argv.slice(2));
const ADMIN = 'admin@example.org';
// Works at the top tier, so may take any ticket.
const AGENT = 'l3.agent@example.org';

function parseOptions(args) {
  const options = { sizes: [20000, 200000], updates: 15, cpuSlowdown: 1 };
  for (let i = 0; i < args.length; i += 2) {
    const [name, value] = [args[i], args[i + 1]];
    if (value === undefined) fail(`${name} needs a value`);
    if (name === '--sizes') options.sizes = value.split(',').map(whole);
    else if (name === '--updates') options.updates = whole(value);
    else if (name === '--cpu-slowdown') options.cpuSlowdown = whole(value);
    else fail(`unknown option ${name} (known: --sizes, --updates, --cpu-slowdown)`);
  }
  return options;
}

function whole(text) {
  const n = Number(text.replaceAll('_', ''));
  if (!Number.isInteger(n) || n < 1) fail(`${text} is not a whole number of at least 1`);
  return n;
}

// Runs in the board page before its own scripts: notes when the page came
// alive (hydrated), and stamps every `change` event on arrival and again
// when the work it caused has finished (a timer fires only after the
// handlers and their microtasks).
function recordChanges() {
  window.__changes = [];
  const hydrated = () => {
    if (document.body?.hasAttribute('data-hydrated')) window.__live = performance.now();
    else requestAnimationFrame(hydrated);
  };
  requestAnimationFrame(hydrated);
  const Original = window.EventSource;
  window.EventSource = function (url, init) {
    const source = new Original(url, init);
    source.addEventListener('change', () => {
      const started = performance.now();
      setTimeout(() => window.__changes.push(performance.now() - started), 0);
    });
    return source;
  };
  window.EventSource.prototype = Original.prototype;
}

const signIn = (request, base, email) => signInAs('board', request, base, email);
const startServer = (size) => startDesk('board', size);

async function measure(browser, size) {
  const server = await startServer(size);
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await signIn(context.request, server.base, ADMIN);
    const page = await context.newPage();
    await page.addInitScript(recordChanges);
    const cdp = await context.newCDPSession(page);
    if (options.cpuSlowdown > 1) {
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: options.cpuSlowdown });
    }
    page.on('console', (msg) => msg.type() === 'error' && console.error(`board page: ${msg.text()}`));
    await page.goto(`${server.base}/board`);
    await page.waitForFunction(() => window.__live !== undefined, null, { timeout: 120_000 });
    const live = await page.evaluate(() => window.__live);
    const cards = await page.locator('li.card').count();

    // An agent's session changes cards the board shows, one at a time.
    const writer = await browser.newContext();
    const me = await signIn(writer.request, server.base, AGENT);
    const references = await page
      .locator('[data-column="in_progress"] li.card, [data-column="assigned"] li.card')
      .evaluateAll((items) => items.map((li) => li.dataset.reference));
    let made = 0;
    for (const reference of references) {
      if (made === options.updates) break;
      const card = await writer.request.post(`${server.base}/api/card`, {
        form: { reference },
        headers: { Origin: server.base },
      });
      if (!card.ok()) continue;
      const { version, assignee_id } = await card.json();
      if (assignee_id === me) continue;
      const seen = await page.evaluate(() => window.__changes.length);
      const answer = await writer.request.post(`${server.base}/api/change_incident`, {
        data: { reference, version, change: { Assign: { assignee_id: me } } },
        headers: { Origin: server.base },
      });
      if (!answer.ok()) fail(`assigning ${reference} answered ${answer.status()}: ${await answer.text()}`);
      await page.waitForFunction((n) => window.__changes.length > n, seen);
      made++;
    }
    const costs = await page.evaluate(() => window.__changes);
    await writer.close();
    await context.close();
    if (costs.length === 0) fail(`no live change reached the board of the ${size}-ticket desk`);
    return { size, cards, live, costs };
  } finally {
    server.stop();
  }
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync'],
});
try {
  console.log(`board bench: CPU slowdown ${options.cpuSlowdown}×, desktop viewport`);
  console.log('| demo tickets | cards on the board | board live after (ms) | one live change: median / max (ms) |');
  console.log('|---|---|---|---|');
  for (const size of options.sizes) {
    const { cards, live, costs } = await measure(browser, size);
    console.log(
      `| ${size.toLocaleString('en')} | ${cards.toLocaleString('en')} | ${Math.round(live)} | ` +
        `${median(costs).toFixed(1)} / ${Math.max(...costs).toFixed(1)} (${costs.length} changes) |`,
    );
  }
} finally {
  await browser.close();
}
