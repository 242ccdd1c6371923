import type { Browser, Page, TestInfo } from '@playwright/test';
import { test, expect, press, expectNoAxeViolations, signIn, hydrated, uniqueTitle, DEMO } from './fixtures';

/** Logs a ticket for a caller through the desk's own server function, as the quick form does. */
async function logTicket(page: Page, title: string): Promise<string> {
  const origin = new URL(page.url()).origin;
  const response = await page.request.post('/api/log_incident', {
    form: { title, name: 'Grace Hopper', contact: 'grace@example.org' },
    headers: { Origin: origin },
  });
  expect(response.status(), await response.text()).toBe(200);
  const card = await response.json();
  return card.reference as string;
}

/** A second agent in their own browser context, like the first (size, touch). */
async function secondAgent(browser: Browser, email: string, testInfo: TestInfo) {
  const use = testInfo.project.use;
  const context = await browser.newContext({
    viewport: use.viewport ?? undefined,
    hasTouch: use.hasTouch,
    isMobile: use.isMobile,
  });
  const page = await context.newPage();
  await signIn(page, email);
  return { context, page };
}

/** Opens the board narrowed to one ticket's title, so parallel tests never meet. */
async function openBoard(page: Page, title: string) {
  await page.goto(`/board?q=${encodeURIComponent(title)}`);
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Board' })).toBeVisible();
}

function card(page: Page, reference: string) {
  return page.locator(`li.card[data-reference="${reference}"]`);
}

function inColumn(page: Page, column: string, reference: string) {
  return page.locator(`section.column[data-column="${column}"] li.card[data-reference="${reference}"]`);
}

async function isPhone(page: Page) {
  return page.evaluate(() => window.innerWidth < 600);
}

/** Where a card is dropped: on a phone the column switcher's tab, else the column's lane. */
async function dropPoint(page: Page, column: string, lane = 'L1') {
  const target = (await isPhone(page))
    ? page.locator(`.column-switcher button[data-column="${column}"]`)
    : page.locator(`section.column[data-column="${column}"] .lane[data-lane="${lane}"]`);
  // The switcher scrolls sideways: bring the tab into view without moving the page.
  await target.evaluate((e) => e.scrollIntoView({ block: 'nearest', inline: 'center' }));
  const box = await target.boundingBox();
  if (!box) throw new Error(`no drop target for ${column}`);
  return { x: box.x + box.width / 2, y: box.y + Math.min(box.height / 2, 30) };
}

/** Drags a card by its grip onto a column: with the mouse on a desktop, with a finger (touch events) on a phone. */
async function drag(page: Page, reference: string, column: string) {
  const grip = card(page, reference).locator('.grip');
  await grip.scrollIntoViewIfNeeded();
  const to = await dropPoint(page, column);
  const box = await grip.boundingBox();
  if (!box) throw new Error('no grip');
  const from = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  const steps = 8;
  if (await isPhone(page)) {
    const cdp = await page.context().newCDPSession(page);
    const touch = (type: string, x: number, y: number) =>
      cdp.send('Input.dispatchTouchEvent', {
        type,
        touchPoints: type === 'touchEnd' ? [] : [{ x, y, id: 1, radiusX: 4, radiusY: 4, force: 1 }],
      });
    await touch('touchStart', from.x, from.y);
    for (let i = 1; i <= steps; i++) {
      await touch('touchMove', from.x + ((to.x - from.x) * i) / steps, from.y + ((to.y - from.y) * i) / steps);
    }
    await touch('touchEnd', to.x, to.y);
    await cdp.detach();
  } else {
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps });
    await page.mouse.up();
  }
}

async function openMenu(page: Page, reference: string) {
  await press(page, card(page, reference).locator('summary'));
}

test.describe('the live agent board', () => {
  test('a dragged card moves for both agents, without a reload', async ({ page, browser, consoleErrors }, testInfo) => {
    await signIn(page, DEMO.l1);
    const title = uniqueTitle('Docking station flickers');
    const reference = await logTicket(page, title);
    const other = await secondAgent(browser, DEMO.l2, testInfo);
    try {
      await openBoard(page, title);
      await openBoard(other.page, title);
      await other.page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
      await expect(inColumn(page, 'new', reference)).toBeAttached();
      await expect(card(page, reference).locator('.sla')).toContainText(/Response due in/);
      await expectNoAxeViolations(page);
      if (await isPhone(page)) {
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        // One column at a time, with counts on the switcher.
        await expect(page.locator('.column-switcher button[data-column="new"] .count')).toHaveText('1');
        await expect(page.locator('section.column[data-column="assigned"]')).toBeHidden();
      }

      await drag(page, reference, 'assigned');
      await expect(inColumn(page, 'assigned', reference)).toBeAttached();
      // Taken: assigned to the agent who dragged it, shown by initials.
      await expect(card(page, reference).locator('.assignee abbr')).toHaveText(/^[A-Z]{1,2}$/);
      // The other board follows live.
      await expect(inColumn(other.page, 'assigned', reference)).toBeAttached();
      await expect(inColumn(other.page, 'new', reference)).toHaveCount(0);
      expect(await other.page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
      await expect(page.locator('.board-problem')).toHaveCount(0);
    } finally {
      await other.context.close();
    }
    expect(consoleErrors).toEqual([]);
  });

  test('a refused live stream says so, tries again by itself and catches up', async ({ page, consoleErrors }) => {
    await signIn(page, DEMO.l1);
    const title = uniqueTitle('Scanner drops the network');
    // The server refuses the stream, as it does for a browser with too many
    // tabs open or one signed out elsewhere; a browser never retries that.
    const refused = '**/api/events*';
    await page.route(refused, (route) =>
      route.fulfill({ status: 429, contentType: 'application/json', body: '{"error":"Too many live streams."}' }),
    );
    await openBoard(page, title);
    const notice = page.locator('.live-notice');
    await expect(notice).toContainText('Live updates have stopped, so this page may be out of date.');
    await expectNoAxeViolations(page);

    // A ticket logged while the board cannot hear about it...
    const reference = await logTicket(page, title);
    await expect(card(page, reference)).toHaveCount(0);
    // ...arrives once the server takes the stream again, without a reload.
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    await page.unroute(refused);
    await expect(inColumn(page, 'new', reference)).toBeAttached({ timeout: 20_000 });
    await expect(notice).toBeEmpty();
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    // The refusals themselves are the only errors the browser logged.
    expect(consoleErrors.filter((e) => !/status of 429/.test(e))).toEqual([]);
    expect(consoleErrors.length).toBeGreaterThan(0);
  });

  test('a move the lifecycle forbids snaps back with a message', async ({ page, consoleErrors }) => {
    await signIn(page, DEMO.l1);
    const title = uniqueTitle('Monitor stays black');
    const reference = await logTicket(page, title);
    await openBoard(page, title);
    await drag(page, reference, 'resolved');
    await expect(page.getByRole('alert')).toContainText(`${reference}: A ticket that is new cannot go straight to resolved.`);
    await expect(inColumn(page, 'new', reference)).toBeAttached();
    await expect(card(page, reference)).not.toHaveClass(/dragging/);
    // Reloading shows the server never changed it.
    await page.reload();
    await hydrated(page);
    await expect(inColumn(page, 'new', reference)).toBeAttached();
    expect(consoleErrors).toEqual([]);
  });

  test('a card moves by keyboard through its menu', async ({ page, consoleErrors }, testInfo) => {
    test.skip(testInfo.project.name === 'phone', 'keyboards are tested at desktop size');
    await signIn(page, DEMO.l1);
    const title = uniqueTitle('Keyboard types the wrong letters');
    const reference = await logTicket(page, title);
    await openBoard(page, title);
    const summary = card(page, reference).locator('summary');
    await summary.focus();
    await page.keyboard.press('Enter');
    const take = card(page, reference).getByRole('button', { name: 'Move to assigned' });
    await expect(take).toBeVisible();
    await take.focus();
    await page.keyboard.press('Enter');
    await expect(inColumn(page, 'assigned', reference)).toBeAttached();
    // The focus stays with the card in its new column, so the next move is one key away.
    await expect(card(page, reference).locator('summary')).toBeFocused();
    // The next move waits for the server's answer to this one (its version).
    await expect(card(page, reference)).toHaveAttribute('aria-busy', 'false');
    await page.keyboard.press('Enter');
    await card(page, reference).getByRole('button', { name: 'Move to in progress' }).focus();
    await page.keyboard.press('Enter');
    await expect(inColumn(page, 'in_progress', reference)).toBeAttached();
    await expect(page.getByRole('status')).toContainText(`${reference} is now in progress`);
    expect(consoleErrors).toEqual([]);
  });

  test('escalation asks for a reason and the card changes lane', async ({ page, consoleErrors }) => {
    await signIn(page, DEMO.l1);
    const title = uniqueTitle('Shared drive mapping fails');
    const reference = await logTicket(page, title);
    await openBoard(page, title);
    await expect(page.locator(`.lane[data-lane="L1"] li.card[data-reference="${reference}"]`)).toBeAttached();
    await openMenu(page, reference);
    await press(page, card(page, reference).getByRole('button', { name: 'Escalate to L2…' }));
    const dialog = page.getByRole('dialog');
    await expect(dialog).toBeVisible();
    const reason = dialog.getByLabel('Why move it to L2?');
    await expect(reason).toBeFocused();
    await expectNoAxeViolations(page);
    // No reason, no escalation.
    await press(page, dialog.getByRole('button', { name: 'Send' }));
    await expect(dialog.getByText('Please write a few words first.')).toBeVisible();
    await reason.fill('Needs a file-server admin');
    await press(page, dialog.getByRole('button', { name: 'Send' }));
    await expect(dialog).toHaveCount(0);
    await expect(page.locator(`.lane[data-lane="L2"] li.card[data-reference="${reference}"]`)).toBeAttached();
    await expect(page.locator(`.lane[data-lane="L1"] li.card[data-reference="${reference}"]`)).toHaveCount(0);
    // The lane changes at once; wait for the server's answer before leaving
    // the page, or the navigation cancels the change in flight.
    await expect(page.locator('.board-status')).toHaveText(new RegExp(`^${reference} is now .+, at L2\\.$`));
    // The reason is on the ticket's timeline.
    await page.goto(`/incidents/${reference}`);
    await expect(page.getByText('Needs a file-server admin')).toBeVisible();
    expect(consoleErrors).toEqual([]);
  });

  test('two agents acting at once: one wins, the other is told and sees the fresh card', async ({ page, browser, consoleErrors }, testInfo) => {
    await signIn(page, DEMO.l1);
    const title = uniqueTitle('Laptop fan is loud');
    const reference = await logTicket(page, title);
    const other = await secondAgent(browser, DEMO.l2, testInfo);
    try {
      // The second board does not hear of the first agent's move in time
      // (its live stream is held back), as when both act in the same instant.
      await other.page.route('**/api/events*', (route) => route.abort());
      await openBoard(other.page, title);
      await openBoard(page, title);
      await openMenu(page, reference);
      await press(page, card(page, reference).getByRole('button', { name: 'Move to assigned' }));
      await expect(inColumn(page, 'assigned', reference)).toBeAttached();
      await expect(page.getByRole('status')).toContainText(`${reference} is now assigned`);

      await expect(inColumn(other.page, 'new', reference)).toBeAttached();
      await openMenu(other.page, reference);
      await press(other.page, card(other.page, reference).getByRole('button', { name: 'Move to assigned' }));
      await expect(other.page.getByRole('alert')).toContainText(reference);
      await expect(other.page.getByRole('alert')).toContainText(/changed|assigned/i);
      // The refused board now shows the ticket as the winner left it.
      await expect(inColumn(other.page, 'assigned', reference)).toBeAttached();
    } finally {
      await other.context.close();
    }
    expect(consoleErrors.filter((e) => !e.includes('api/events'))).toEqual([]);
  });

  test('filters live in the address, so a view can be shared', async ({ page, consoleErrors }) => {
    await signIn(page, DEMO.l1);
    const title = uniqueTitle('VPN token expired');
    const reference = await logTicket(page, title);
    await openBoard(page, title);
    await page.getByLabel('Assignee').selectOption('unassigned');
    await expect(page).toHaveURL(/assignee=unassigned/);
    await expect(card(page, reference)).toBeAttached();
    await page.getByLabel('Assignee').selectOption('me');
    await expect(page).toHaveURL(/assignee=me/);
    await expect(card(page, reference)).toHaveCount(0);
    // The same address in a fresh load gives the same view.
    await page.goto(page.url());
    await hydrated(page);
    await expect(page.getByLabel('Assignee')).toHaveValue('me');
    await expect(card(page, reference)).toHaveCount(0);
    expect(consoleErrors).toEqual([]);
  });

  test("a missed first response alerts the tier's lead on the board, live, until someone answers", async ({ page, browser, consoleErrors }, testInfo) => {
    // The browser tests' server gives P1 one minute for a first response and
    // runs the SLA watcher every two seconds (end2end/frontline-e2e.toml).
    test.setTimeout(150_000);
    const title = uniqueTitle('Whole floor offline');
    const reporter = await secondAgent(browser, DEMO.reporter, testInfo);
    const answering = await secondAgent(browser, DEMO.l3, testInfo);
    try {
      const origin = new URL(reporter.page.url()).origin;
      const reported = await reporter.page.request.post('/api/report_problem', {
        // The fields the report form sends.
        form: { 'report[title]': title, 'report[description]': 'Nobody on floor 2 can reach anything.',
          'report[service]': 'Network', 'report[impact]': 'high', 'report[urgency]': 'high' },
        headers: { Origin: origin },
      });
      expect(reported.status(), await reported.text()).toBe(200);
      const reference = (await reported.json()).reference as string;

      // The security specialist leads L3 in the demo data; P1 goes straight to L3.
      await signIn(page, DEMO.security);
      await openBoard(page, title);
      await expect(card(page, reference)).toBeAttached();
      await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
      const alerts = page.getByRole('region', { name: /Missed targets/ });
      const alert = alerts.getByRole('listitem').filter({ hasText: reference });
      await expect(alert).toBeVisible({ timeout: 100_000 });
      await expect(alert).toContainText('No first response within the P1 critical target at L3');
      await expect(alert).toContainText('You lead L3');
      expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
      await expect(card(page, reference).locator('.sla')).toContainText(/overdue/);
      await expectNoAxeViolations(page);
      // The list folds away (a phone then shows the board first) and comes back.
      const fold = alerts.getByRole('button', { name: 'Hide' });
      await press(page, fold);
      await expect(alert).toBeHidden();
      await expect(alerts.getByRole('button', { name: 'Show' })).toHaveAttribute('aria-expanded', 'false');
      await press(page, alerts.getByRole('button', { name: 'Show' }));
      await expect(alert).toBeVisible();
      if (await isPhone(page)) {
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow).toBeLessThanOrEqual(0);
      }

      // Another L3 agent answers the reporter: the alert leaves the lead's board, live.
      const answer = answering.page;
      await answer.goto(`/incidents/${reference}`);
      await hydrated(answer);
      const fresh = await answer.request.post('/api/card', { form: { reference }, headers: { Origin: origin } });
      expect(fresh.status(), await fresh.text()).toBe(200);
      const replied = await answer.request.post('/api/change_incident', {
        data: { reference, version: (await fresh.json()).version,
          change: { Comment: { text: 'We are on it; the floor switch is being replaced.', internal: false } } },
        headers: { Origin: origin },
      });
      expect(replied.status(), await replied.text()).toBe(200);
      await expect(alert).toHaveCount(0);
      // The timeline keeps the record, for the desk only.
      await answer.reload();
      await hydrated(answer);
      await expect(answer.getByText(/First response target missed \(P1 critical at L3\)/)).toBeVisible();
      const seen = await reporter.page.request.post('/api/incident', { form: { reference }, headers: { Origin: origin } });
      expect(await seen.text()).not.toContain('sla_alert');
    } finally {
      await reporter.context.close();
      await answering.context.close();
    }
    expect(consoleErrors).toEqual([]);
  });
});
