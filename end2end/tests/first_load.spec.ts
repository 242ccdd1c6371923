import type { Page, Response } from '@playwright/test';
import { test, expect, hydrated, press, DEMO, DEMO_PASSWORD } from './fixtures';

// The release build is split: the report form and the sign-in page are the
// first download; every other page (the reporter's tickets, a ticket, the
// account, and the desk's board, people, guides, first run and a ticket's
// agent controls) is a chunk fetched when it opens. These tests run that
// build as it ships.
//
// Bytes as served (compressed) on a cold cache. Issue 16 sets the budgets at
// 250 kB for /report and 450 kB for /board. The board's holds; the report's
// is not met yet (docs/performance.md), so its ceiling holds today's size
// and the first load can only shrink; lower it as it does.
const REPORT_CEILING = 280_000;
const BOARD_CEILING = 450_000;

/** Signs in without the sign-in page, so nothing of another page is loaded or cached. */
async function signInQuietly(page: Page, email: string, baseURL: string) {
  const response = await page.request.post('/api/sign_in', {
    form: { email, password: DEMO_PASSWORD },
    headers: { Origin: baseURL },
  });
  expect(response.status()).toBe(200);
}

/** The files under /pkg a page fetched, with their size as sent (compressed). */
function watchBundle(page: Page) {
  const responses: Response[] = [];
  page.on('response', (r) => {
    if (new URL(r.url()).pathname.startsWith('/pkg/')) responses.push(r);
  });
  return {
    async files() {
      const out: { name: string; bytes: number; encoding: string | null }[] = [];
      for (const r of responses) {
        const sizes = await r.request().sizes();
        out.push({
          name: new URL(r.url()).pathname.slice('/pkg/'.length),
          bytes: sizes.responseBodySize,
          encoding: await r.headerValue('content-encoding'),
        });
      }
      return out;
    },
  };
}

/** A page's own module: `split___board_route_view_<id>.<hash>.wasm`; shared code is in `chunk_<n>`. */
const splitOf = (name: string) => name.match(/^split_(.+?)_\d+\./)?.[1] ?? null;
const DESK = ['__board_route_view', '__people_route_view', '__guides_route_view', '__setup_route_view', 'desk_tools'];
const isDesk = (name: string) => DESK.includes(splitOf(name) ?? '');
const fetched = (files: { name: string }[], split: string) => files.some((f) => splitOf(f.name) === split);

/** Opens `path` on a cold cache and returns what the first load fetched. */
async function firstLoad(page: Page, path: string) {
  const bundle = watchBundle(page);
  await page.goto(path);
  await hydrated(page);
  // Chunks the page asks for once live (none are expected on the portal).
  await page.waitForTimeout(500);
  return bundle.files();
}

test.describe('the split bundle', () => {
  test('/report is all in the first download, and its first load does not grow', async ({ page, baseURL, consoleErrors }) => {
    await signInQuietly(page, DEMO.reporter, baseURL!);
    const files = await firstLoad(page, '/report');
    await expect(page.getByRole('heading', { level: 1, name: 'Report a problem' })).toBeVisible();
    const total = files.reduce((sum, f) => sum + f.bytes, 0);
    test.info().annotations.push({ type: 'first load of /report', description: `${total} B: ${JSON.stringify(files)}` });
    expect(files.filter((f) => splitOf(f.name) !== null), 'the report form needs no chunk').toEqual([]);
    // Served as the build compressed it.
    for (const f of files) expect(f.encoding, f.name).toBe('br');
    expect(total).toBeLessThanOrEqual(REPORT_CEILING);
    expect(consoleErrors).toEqual([]);
  });

  test('the board loads its chunk, and its first load does not grow', async ({ page, baseURL, consoleErrors }) => {
    await signInQuietly(page, DEMO.l1, baseURL!);
    const files = await firstLoad(page, '/board');
    await expect(page.getByRole('heading', { level: 1, name: 'Board' })).toBeVisible();
    const total = files.reduce((sum, f) => sum + f.bytes, 0);
    test.info().annotations.push({ type: 'first load of /board', description: `${total} B: ${JSON.stringify(files)}` });
    expect(fetched(files, '__board_route_view'), 'the board is a chunk').toBe(true);
    expect(total).toBeLessThanOrEqual(BOARD_CEILING);
    expect(consoleErrors).toEqual([]);
  });

  test("the reporter's other pages are chunks of their own, and none is the desk's", async ({ page, baseURL, consoleErrors }) => {
    await signInQuietly(page, DEMO.reporter, baseURL!);
    const home = await firstLoad(page, '/');
    await expect(page.getByRole('heading', { level: 1, name: 'Your tickets' })).toBeVisible();
    expect(fetched(home, '__home_route_view'), 'the home page is a chunk').toBe(true);

    // Followed in the page, the router fetches each page's chunk.
    const later = watchBundle(page);
    const ticket = page.locator('a.reference').first();
    const href = await ticket.getAttribute('href');
    await press(page, ticket);
    await expect(page).toHaveURL(new RegExp(`${href}$`));
    await expect(page.locator('#ticket-heading')).toBeVisible();
    const menu = page.getByRole('navigation', { name: 'Main' });
    await press(page, menu.locator('a[href="/account"]'));
    await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
    await press(page, menu.locator('a[href="/report"]'));
    await expect(page.getByRole('heading', { level: 1, name: 'Report a problem' })).toBeVisible();

    const files = [...home, ...(await later.files())];
    expect(fetched(files, '__incident_route_view'), 'the ticket is a chunk').toBe(true);
    expect(fetched(files, '__account_route_view'), 'the account page is a chunk').toBe(true);
    expect(files.filter((f) => isDesk(f.name)), 'no desk chunk for a reporter').toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  // Every lazy route, opened both ways: typed into the address (the chunk is
  // loaded before the page hydrates) and followed from the menu (loaded by
  // the router). Splitting has broken with toolchain updates before.
  const routes = [
    { who: DEMO.l1, path: '/board', heading: 'Board', split: '__board_route_view' },
    { who: DEMO.admin, path: '/people', heading: 'People', split: '__people_route_view' },
    { who: DEMO.admin, path: '/guides', heading: 'Troubleshooting guides', split: '__guides_route_view' },
  ];
  for (const route of routes) {
    test(`${route.path} opens from the address and from the menu`, async ({ page, baseURL, consoleErrors }) => {
      await signInQuietly(page, route.who, baseURL!);
      const direct = await firstLoad(page, route.path);
      await expect(page.getByRole('heading', { level: 1, name: route.heading })).toBeVisible();
      expect(fetched(direct, route.split), `${route.split} was fetched`).toBe(true);

      // Start from another page, so the menu's link is a navigation in the page.
      await page.goto('/account');
      await hydrated(page);
      const menu = page.getByRole('navigation', { name: 'Main' });
      // The account link is the person's name.
      const link = menu.locator(`a[href="${route.path}"]`);
      await press(page, link);
      await expect(page).toHaveURL(new RegExp(`${route.path}$`));
      await expect(page.getByRole('heading', { level: 1, name: route.heading })).toBeVisible();
      expect(consoleErrors).toEqual([]);
    });
  }

  test('/setup opens as a chunk and says the desk is set up', async ({ page, consoleErrors }) => {
    const files = await firstLoad(page, '/setup');
    expect(fetched(files, '__setup_route_view')).toBe(true);
    await expect(page.getByRole('heading', { level: 1, name: 'Set up Frontline' })).toBeVisible();
    await expect(page.getByText('Frontline is set up.')).toBeVisible();
    expect(consoleErrors).toEqual([]);
  });

  test("a ticket's agent controls are a chunk the reporter never loads", async ({ browser, baseURL }) => {
    // A new open ticket (the demo's recent ones may all be closed: no controls).
    const reporter = await browser.newPage();
    const reporterErrors: string[] = [];
    reporter.on('console', (m) => m.type() === 'error' && reporterErrors.push(m.text()));
    await signInQuietly(reporter, DEMO.reporter, baseURL!);
    const reported = await reporter.request.post('/api/report_problem', {
      form: { 'report[title]': `Dock has no video ${Date.now().toString(36)}` },
      headers: { Origin: baseURL! },
    });
    expect(reported.status(), await reported.text()).toBe(200);
    const reference = (await reported.json()).reference as string;

    const agent = await browser.newPage();
    const agentErrors: string[] = [];
    agent.on('console', (m) => m.type() === 'error' && agentErrors.push(m.text()));
    await signInQuietly(agent, DEMO.l1, baseURL!);
    await agent.goto('/');
    await hydrated(agent);
    // From the list: the router fetches the chunk, then the controls work.
    const bundle = watchBundle(agent);
    await press(agent, agent.locator('.incident-list a.reference', { hasText: reference }));
    await expect(agent).toHaveURL(new RegExp(`/incidents/${reference}$`));
    await expect(agent.getByRole('heading', { level: 2, name: 'Agent controls' })).toBeVisible();
    expect(fetched(await bundle.files(), 'desk_tools')).toBe(true);

    // Loaded from the address: the same controls, hydrated.
    const direct = await firstLoad(agent, `/incidents/${reference}`);
    await expect(agent.getByRole('heading', { level: 2, name: 'Agent controls' })).toBeVisible();
    expect(fetched(direct, 'desk_tools')).toBe(true);
    expect(agentErrors).toEqual([]);
    await agent.close();

    // The reporter's own view of it: no desk code at all.
    const files = await firstLoad(reporter, `/incidents/${reference}`);
    await expect(reporter.getByRole('heading', { level: 2, name: 'Timeline' })).toBeVisible();
    expect(files.filter((f) => isDesk(f.name))).toEqual([]);
    expect(reporterErrors).toEqual([]);
    await reporter.close();
  });

  test('a page left open across a deploy reloads when its chunk is gone', async ({ page, baseURL }) => {
    await signInQuietly(page, DEMO.l1, baseURL!);
    await page.goto('/');
    await hydrated(page);
    // The chunk the old page asks for is gone once: the new build has renamed it.
    let refused = 0;
    await page.route(/\/pkg\/.*\.wasm$/, async (route) => {
      const name = new URL(route.request().url()).pathname.split('/').pop() ?? '';
      if (splitOf(name) === '__board_route_view' && refused === 0) {
        refused += 1;
        await route.fulfill({ status: 404, body: 'not found' });
      } else {
        await route.continue();
      }
    });
    let loads = 0;
    page.on('load', () => (loads += 1));
    await press(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Board' }));
    await expect(page).toHaveURL(/\/board$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Board' })).toBeVisible();
    await hydrated(page);
    expect(refused).toBe(1);
    expect(loads, 'the page was loaded afresh from the server').toBe(1);
  });
});
