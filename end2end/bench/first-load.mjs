// The first load on a phone, measured in Chromium through the DevTools
// protocol: bytes transferred, Largest Contentful Paint, and the time until
// a tap works, on a cold cache and again warm.
//
//   node bench/first-load.mjs [--runs 3] [--cpu-slowdown 4] [--latency 150] [--kbps 1600] [--visits 2] [--settle 2000] [--explain 1]
//
// The phone profile: 375 × 812 touch screen, the CPU slowed 4×, 150 ms of
// latency and 1.6 Mbit/s each way. Pages: /report as a reporter (its first
// step, the choice of guide, has no island), the report form itself, /board
// as a first-tier agent, and a ticket page as its reporter. A page is live
// when <body> says `data-hydrated` (at once on a page without islands, else
// once every island is). It is tap-ready once its largest content is
// painted and, if any of the server's controls needs the script (a button
// outside a plain form, a disabled field, a custom widget), once it is
// live: a page of links and plain forms works from its paint (the browser
// tests check that such taps, and text typed then, are kept). It fills a fresh demo desk,
// starts the release server on a free port and signs each person in
// without a page (so no other page warms the cache). Build the release site
// first (scripts/test.sh or scripts/run.sh build it).
//
// `--settle MS` is the pause before each warm visit (2 s): the browser
// finishes what it does after a visit (writing its cache, caching compiled
// code), as it has when a person comes back later. Without it, on this
// 2-core machine, that work shares the CPU with the next visit's first paint.
// `--visits N` opens each page N times in the same browser: the first visit
// is cold, the last is the warm figure (3 shows a returning person, whose
// browser has also cached the compiled code). `--explain 1` adds, per page,
// when the HTML had arrived, when the page's scripts could start
// (DOMContentLoaded) and when the WASM had been read, on the warm visit.

import { chromium } from '@playwright/test';
import { startDesk, signIn as signInAs, median, fail as failAs } from './desk.mjs';

const fail = (message) => failAs('first-load', message);
const options = parseOptions(process.argv.slice(2));
const signIn = (request, base, email) => signInAs('first-load', request, base, email);

function parseOptions(args) {
  const options = { runs: 3, cpuSlowdown: 4, latency: 150, kbps: 1600, visits: 2, explain: 0, settle: 2000 };
  const names = {
    '--runs': 'runs', '--cpu-slowdown': 'cpuSlowdown', '--latency': 'latency', '--kbps': 'kbps',
    '--visits': 'visits', '--explain': 'explain', '--settle': 'settle',
  };
  for (let i = 0; i < args.length; i += 2) {
    const [name, value] = [args[i], args[i + 1]];
    if (!(name in names)) fail(`unknown option ${name} (known: ${Object.keys(names).join(', ')})`);
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) fail(`${name} needs a whole number`);
    options[names[name]] = n;
  }
  if (options.runs < 1 || options.visits < 2) fail('--runs needs at least 1 and --visits at least 2');
  return options;
}

// Runs in the page before its own scripts: the moment it is live, the
// Largest Contentful Paint, and which of the server's controls only work
// with the script. The moment is told through the console: waiting with
// page.waitForFunction would make Playwright inject its own large script
// into the page while it loads, costing the phone's slowed CPU some 50 ms
// before hydration.
function observe() {
  window.__live = undefined;
  window.__lcp = undefined;
  window.__scriptOnly = undefined;
  // The page as the server wrote it: islands become live only after their
  // module and WASM have been fetched, well after the document is parsed.
  document.addEventListener('DOMContentLoaded', () => {
    const plain = (form) => form?.hasAttribute('action') ?? false;
    const found = [];
    for (const el of document.querySelectorAll('button, input, select, textarea, [role=button], [tabindex]')) {
      if (el.matches('input[type=hidden], [tabindex="-1"]:not(button, input, select, textarea)')) continue;
      // A native control in a form the server answers works as it is: typed
      // text is sent, a submit button posts. A disabled one does nothing yet.
      const works = el.matches('button, input, select, textarea')
        && !el.disabled
        && plain(el.form)
        && (!el.matches('button') || el.type === 'submit');
      if (!works) found.push(el.outerHTML.slice(0, 80));
    }
    window.__scriptOnly = found;
  });
  const check = () => {
    if (document.body?.hasAttribute('data-hydrated')) {
      window.__live = performance.now();
      const nav = performance.getEntriesByType('navigation')[0];
      const wasm = performance.getEntriesByType('resource').find((r) => r.name.endsWith('.wasm'));
      window.__phases = { html: nav?.responseEnd, dcl: nav?.domContentLoadedEventEnd, wasm: wasm?.responseEnd };
      console.debug(`first-load: live ${window.__live}`);
    } else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__lcp = entry.startTime;
  }).observe({ type: 'largest-contentful-paint', buffered: true });
}

/** A ticket of the reporter's own, from their home page's list. */
async function ownTicket(request, base) {
  const html = await (await request.get(`${base}/`)).text();
  const found = html.match(/href="(\/incidents\/(?:INC|REQ)-\d{6})"/);
  if (!found) fail('the demo reporter has no ticket to open');
  return found[1];
}

async function load(context, base, path) {
  const page = await context.newPage();
  await page.addInitScript(observe);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: options.latency,
    downloadThroughput: (options.kbps * 1000) / 8,
    uploadThroughput: (options.kbps * 1000) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: options.cpuSlowdown });
  let bytes = 0;
  const inFlight = new Set();
  // The live event stream stays open for as long as the page does.
  cdp.on('Network.requestWillBeSent', (e) => e.type !== 'EventSource' && inFlight.add(e.requestId));
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength;
    inFlight.delete(e.requestId);
  });
  cdp.on('Network.loadingFailed', (e) => inFlight.delete(e.requestId));
  const ready = page.waitForEvent('console', {
    predicate: (message) => message.text().startsWith('first-load: live'),
    timeout: 120_000,
  });
  await page.goto(`${base}${path}`, { waitUntil: 'commit' });
  await ready;
  // LCP is final once the person interacts or the page settles; give it a
  // moment. Bytes count everything the first load fetches, also what it
  // fetches after tap-ready (a page without islands still takes the WASM
  // for the next page).
  await page.waitForTimeout(300);
  for (let waited = 0; inFlight.size > 0 && waited < 60_000; waited += 50) await page.waitForTimeout(50);
  const { live, lcp, phases, scriptOnly } = await page.evaluate(() => ({
    live: window.__live, lcp: window.__lcp, phases: window.__phases, scriptOnly: window.__scriptOnly,
  }));
  await page.close();
  if (!scriptOnly) fail(`${path}: the page was never seen as the server wrote it`);
  // Nothing can be tapped before it is shown. A page whose every control is
  // a link or a plain form works from its paint; one with a control that
  // needs the script, once it is live.
  const tapReady = Math.max(scriptOnly.length === 0 ? 0 : live, lcp ?? 0);
  return { bytes, tapReady, live: Math.max(live, lcp ?? 0), lcp, phases, scriptOnly };
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
    '--disable-component-update', '--no-first-run', '--disable-sync'],
});
const server = await startDesk('first-load', 300);
const pages = [
  { name: '/report (reporter)', who: 'reporter@example.org', path: async () => '/report' },
  { name: '/report?form=1 (the form)', who: 'reporter@example.org', path: async () => '/report?form=1' },
  { name: '/board (L1 agent)', who: 'l1.agent@example.org', path: async () => '/board' },
  { name: 'ticket page (its reporter)', who: 'reporter@example.org', path: ownTicket },
];
const profile = { viewport: { width: 375, height: 812 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 };
console.log(`phone profile: 375×812, CPU ${options.cpuSlowdown}× slower, ${options.latency} ms latency, ` +
  `${options.kbps} kbit/s; median of ${options.runs} runs`);
const explained = [];
console.log('| page | cold: bytes | cold: LCP | cold: tap-ready | cold: live | warm: bytes | warm: LCP | warm: tap-ready | warm: live |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
try {
  for (const p of pages) {
    const cold = [];
    const warm = [];
    for (let run = 0; run < options.runs; run++) {
      // A new context is a new, empty cache.
      const context = await browser.newContext(profile);
      await signIn(context.request, server.base, p.who);
      const where = await p.path(context.request, server.base);
      cold.push(await load(context, server.base, where));
      let last;
      for (let visit = 1; visit < options.visits; visit++) {
        // A person comes back later, not the instant the last visit's
        // requests end: let the browser finish what it does after a visit
        // (writing the cache, caching compiled code) on this 2-core machine.
        await new Promise((resolve) => setTimeout(resolve, options.settle));
        last = await load(context, server.base, where);
      }
      warm.push(last);
      await context.close();
    }
    const row = (runs) => [
      `${Math.round(median(runs.map((r) => r.bytes)) / 1000)} kB`,
      `${(median(runs.map((r) => r.lcp ?? NaN)) / 1000).toFixed(2)} s`,
      `${(median(runs.map((r) => r.tapReady)) / 1000).toFixed(2)} s`,
      `${(median(runs.map((r) => r.live)) / 1000).toFixed(2)} s`,
    ];
    console.log(`| ${p.name} | ${row(cold).join(' | ')} | ${row(warm).join(' | ')} |`);
    if (options.explain) {
      // A page without islands is live before its WASM is read.
      const at = (key) => {
        const ms = median(warm.map((r) => r.phases?.[key] ?? NaN));
        return Number.isNaN(ms) ? 'not yet' : `${(ms / 1000).toFixed(2)} s`;
      };
      const controls = warm[0].scriptOnly;
      explained.push(`${p.name}, warm: HTML in at ${at('html')}, DOMContentLoaded ${at('dcl')}, ` +
        `WASM read ${at('wasm')}, live ${row(warm)[3]}; ` +
        (controls.length === 0
          ? 'every control is a link or a plain form'
          : `${controls.length} controls need the script, e.g. ${controls.slice(0, 3).join(' · ')}`));
    }
  }
  for (const line of explained) console.log(line);
} finally {
  server.stop();
  await browser.close();
}
