import type { Page } from '@playwright/test';
import { test, expect, press, signIn, hydrated, uniqueTitle, DEMO, DEMO_PASSWORD } from './fixtures';

// What a person does in the first seconds, before or around the page going
// live: each of these once went wrong.

const menu = (page: Page) => page.getByRole('navigation', { name: 'Main' });

async function choose(page: Page, name: string | RegExp) {
  await press(page, page.getByRole('main').getByRole('link', { name }));
}

test.describe('a guide in the address', () => {
  test('Back, Forward and reload keep the answers', async ({ page, consoleErrors }) => {
    await signIn(page, DEMO.reporter);
    await press(page, menu(page).getByRole('link', { name: 'Report a problem' }));
    await hydrated(page);
    await choose(page, /Network or VPN/);
    await choose(page, 'Wi-Fi');
    const second = page.getByRole('heading', { level: 1, name: 'Do other people near you have working Wi-Fi?' });
    await expect(second).toBeVisible();
    await choose(page, 'Yes, it seems to be just me');
    const third = page.getByRole('heading', { level: 1, name: /./ });
    await expect(third).not.toHaveText('Do other people near you have working Wi-Fi?');
    const thirdText = await third.textContent();

    await page.goBack();
    await expect(second).toBeVisible();
    await page.goBack();
    await expect(page.getByRole('heading', { level: 1, name: "What isn't working?" })).toBeVisible();
    await page.goForward();
    await page.goForward();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(thirdText ?? '');
    await page.reload();
    await hydrated(page);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(thirdText ?? '');
    // The way back from a reloaded step still retraces the answers.
    await press(page, page.getByRole('link', { name: '← Back' }));
    await expect(second).toBeVisible();
    expect(consoleErrors).toEqual([]);
  });

  test('after "This fixed it", the menu starts a new report', async ({ page, consoleErrors }) => {
    await signIn(page, DEMO.reporter);
    await page.goto('/report');
    await hydrated(page);
    await choose(page, /Network or VPN/);
    await choose(page, 'Wi-Fi');
    await choose(page, 'Yes, it seems to be just me');
    await choose(page, 'It keeps dropping or is very slow');
    await press(page, page.getByRole('button', { name: 'This fixed it' }));
    await expect(page.getByRole('heading', { level: 1, name: 'Glad it works again' })).toBeVisible();
    await press(page, menu(page).getByRole('link', { name: 'Report a problem' }));
    await expect(page.getByRole('heading', { level: 1, name: 'Report a problem' })).toBeVisible();
    await expect(page).toHaveURL(/\/report$/);
    expect(consoleErrors).toEqual([]);
  });

  test('the report form keeps typed text across a reload', async ({ page, consoleErrors }) => {
    await signIn(page, DEMO.reporter);
    await page.goto('/report');
    await hydrated(page);
    await press(page, page.getByRole('link', { name: 'Skip the questions and describe it myself' }));
    await page.getByLabel('In a few words, what is wrong?').fill('Laptop fan is very loud');
    await page.getByLabel('What happened? What were you doing?').fill('Since the update this morning.');
    await page.reload();
    await hydrated(page);
    await expect(page.getByLabel('In a few words, what is wrong?')).toHaveValue('Laptop fan is very loud');
    await expect(page.getByLabel('What happened? What were you doing?')).toHaveValue('Since the update this morning.');
    expect(consoleErrors).toEqual([]);
  });
});

test.describe('before the page is live', () => {
  // The server-rendered page as a person on a slow line sees it: the page's
  // WASM never arrives, so every tap is the plain HTML's own.
  test.beforeEach(async ({ page }) => {
    await page.route(/\/pkg\/.*\.wasm$/, () => {
      // Left unanswered: still on its way.
    });
  });

  test('signing in lands on the home page, not on an empty form', async ({ page }) => {
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(DEMO.l1);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await press(page, page.getByRole('button', { name: 'Sign in' }));
    await expect(page).toHaveURL(/\/board$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Board' })).toBeVisible();
  });

  test('signing in goes on to where the person was going', async ({ page }) => {
    await page.goto('/sign-in?next=%2Faccount');
    await page.getByLabel('Email').fill(DEMO.reporter);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await press(page, page.getByRole('button', { name: 'Sign in' }));
    await expect(page).toHaveURL(/\/account$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
  });

  test('a wrong password says so', async ({ page }) => {
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(DEMO.reporter);
    await page.getByLabel('Password').fill('not the password');
    await press(page, page.getByRole('button', { name: 'Sign in' }));
    await expect(page).toHaveURL(/\/sign-in/);
    await expect(page.getByRole('alert')).toContainText('That email and password do not match an account.');
  });

  async function signInPlainly(page: Page, email: string) {
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await press(page, page.getByRole('button', { name: 'Sign in' }));
    await expect(page).not.toHaveURL(/\/sign-in/);
  }

  const link = (page: Page, name: string | RegExp) => page.getByRole('main').getByRole('link', { name });

  /** Follows a link once the page holding it has arrived (each is a full page load here). */
  async function follow(page: Page, name: string | RegExp) {
    const target = link(page, name);
    await expect(target).toBeVisible();
    await press(page, target);
  }

  test('a guide is walked by its links, and "This fixed it" is recorded', async ({ page }) => {
    await signInPlainly(page, DEMO.reporter);
    await page.goto('/report');
    await follow(page, /Network or VPN/);
    await follow(page, 'Wi-Fi');
    await expect(page.getByRole('heading', { level: 1, name: 'Do other people near you have working Wi-Fi?' })).toBeVisible();
    await follow(page, 'Yes, it seems to be just me');
    await follow(page, 'It keeps dropping or is very slow');
    const fixed = page.getByRole('button', { name: 'This fixed it' });
    await expect(fixed).toBeVisible();
    await press(page, fixed);
    await expect(page.getByRole('heading', { level: 1, name: 'Glad it works again' })).toBeVisible();
  });

  test('a report is logged and opens its ticket', async ({ page }) => {
    const title = `Scanner jams on every page ${Date.now().toString(36)}`;
    await signInPlainly(page, DEMO.reporter);
    await page.goto('/report');
    await follow(page, 'Skip the questions and describe it myself');
    await page.getByLabel('In a few words, what is wrong?').fill(title);
    await page.getByLabel('What happened? What were you doing?').fill('Paper folds at the second roller.');
    await press(page, page.getByRole('button', { name: 'Send report' }));
    await expect(page).toHaveURL(/\/incidents\/INC-\d{6}$/);
    await expect(page.getByRole('heading', { level: 1 })).toContainText(title);

    // A reply from the ticket page, still without the script.
    await page.getByLabel('Your message to the service desk').fill('It also jams with thick paper.');
    await press(page, page.getByRole('button', { name: 'Send reply' }));
    await expect(page).toHaveURL(/\/incidents\/INC-\d{6}$/);
    await expect(page.locator('.timeline')).toContainText('It also jams with thick paper.');
  });

  test('a refused report says why and keeps what was typed', async ({ page }) => {
    await signInPlainly(page, DEMO.reporter);
    await page.goto('/report?form=1');
    await page.getByLabel('In a few words, what is wrong?').fill('Phone line is dead');
    await page.getByLabel('What happened? What were you doing?').fill('No dial tone since the storm.');
    await page.getByLabel('Day', { exact: true }).fill('2026-11-27');
    await page.getByLabel('Phone number to reach you').fill('call me maybe');
    await press(page, page.getByRole('button', { name: 'Send report' }));
    await expect(page.getByRole('alert')).toContainText('does not look like a phone number');
    await expect(page.getByLabel('In a few words, what is wrong?')).toHaveValue('Phone line is dead');
    await expect(page.getByLabel('What happened? What were you doing?')).toHaveValue('No dial tone since the storm.');
    await expect(page.getByLabel('Phone number to reach you')).toHaveValue('call me maybe');
    await expect(page.getByLabel('Day', { exact: true })).toHaveValue('2026-11-27');

    // Once the script arrives, the live form has the text too, and an
    // accepted report's text is not offered again.
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    await page.reload();
    await hydrated(page);
    await expect(page.getByLabel('In a few words, what is wrong?')).toHaveValue('Phone line is dead');
    await page.getByLabel('Phone number to reach you').fill('+44 20 7946 0000');
    await press(page, page.getByRole('button', { name: 'Send report' }));
    await expect(page.getByRole('heading', { level: 1, name: 'Thank you, it is logged' })).toBeVisible();
    await page.goto('/report?form=1');
    await hydrated(page);
    await expect(page.getByLabel('In a few words, what is wrong?')).toHaveValue('');
  });

  /** A new ticket for a caller, logged by the signed-in agent. */
  async function logTicket(page: Page, title: string): Promise<string> {
    const origin = new URL(page.url()).origin;
    const response = await page.request.post('/api/log_incident', {
      form: { title, name: 'Ada Lovelace', contact: 'ada@example.org' },
      headers: { Origin: origin },
    });
    expect(response.status(), await response.text()).toBe(200);
    return (await response.json()).reference as string;
  }

  const boardCard = (page: Page, reference: string) => page.locator(`li.card[data-reference="${reference}"]`);
  const inColumn = (page: Page, column: string, reference: string) =>
    page.locator(`section.column[data-column="${column}"] li.card[data-reference="${reference}"]`);

  async function moveByMenu(page: Page, reference: string, move: string) {
    await press(page, boardCard(page, reference).locator('summary'));
    await press(page, boardCard(page, reference).getByRole('button', { name: move }));
  }

  test('the board moves cards, filters and switches columns as plain forms', async ({ page }) => {
    await signInPlainly(page, DEMO.l1);
    const title = uniqueTitle('Badge reader beeps red');
    const reference = await logTicket(page, title);
    await page.goto(`/board?q=${encodeURIComponent(title)}`);
    await expect(inColumn(page, 'new', reference)).toBeAttached();

    // A move without words is done by the server, which shows the board again, still filtered.
    await moveByMenu(page, reference, 'Move to assigned');
    await expect(inColumn(page, 'assigned', reference)).toBeAttached();
    expect(new URL(page.url()).searchParams.get('q')).toBe(title);
    await expect(boardCard(page, reference).locator('.assignee abbr')).toHaveAttribute('title', /.+/);
    await moveByMenu(page, reference, 'Move to in progress');
    await expect(inColumn(page, 'in_progress', reference)).toBeAttached();

    // The column a phone shows and the tier are the same form's buttons.
    if (await page.evaluate(() => window.innerWidth < 600)) {
      await press(page, page.locator('.column-switcher button[data-column="in_progress"]'));
      await expect(page).toHaveURL(/column=in_progress/);
      await expect(page.locator('.column-switcher button[data-column="in_progress"]')).toHaveAttribute('aria-pressed', 'true');
      await expect(inColumn(page, 'in_progress', reference)).toBeVisible();
    }
    await press(page, page.getByRole('group', { name: 'Tier' }).getByRole('button', { name: 'L2' }));
    await expect(page).toHaveURL(/tier=L2/);
    await expect(boardCard(page, reference)).toHaveCount(0);
    await press(page, page.getByRole('group', { name: 'Tier' }).getByRole('button', { name: 'L1' }));
    await expect(boardCard(page, reference)).toBeAttached();

    // A move that needs words opens the ticket, where they are written.
    await moveByMenu(page, reference, 'Escalate to L2…');
    await expect(page).toHaveURL(new RegExp(`/incidents/${reference}$`));
    await expect(page.getByRole('heading', { level: 1 })).toContainText(title);
  });

  test('a card someone else moved first is refused on the board, in words', async ({ page }) => {
    await signInPlainly(page, DEMO.l1);
    const title = uniqueTitle('Projector shows no signal');
    const reference = await logTicket(page, title);
    await page.goto(`/board?q=${encodeURIComponent(title)}`);
    const version = await boardCard(page, reference).locator('input[name=version]').inputValue();
    // Another agent takes it first, through the same plain form.
    const taken = await page.request.post('/api/move_card', {
      form: { reference, version, state: 'new', tier: 'L1', to: 'state-assigned' },
      headers: { Origin: new URL(page.url()).origin, Accept: 'application/json' },
    });
    expect(taken.status(), await taken.text()).toBe(200);
    await moveByMenu(page, reference, 'Move to assigned');
    await expect(page.getByRole('alert')).toContainText(`${reference} was changed after you opened it`);
    await expect(inColumn(page, 'assigned', reference)).toBeAttached();
  });
});

test.describe('while the page goes live', () => {
  // The WASM is held back until the person has typed, then let through: what
  // was typed into the server's HTML must still be there once the page is live.
  async function holdWasm(page: Page) {
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/pkg\/.*\.wasm$/, async (route) => {
      await released;
      await route.continue();
    });
    return release;
  }

  test('text typed into the report form before it is live is kept', async ({ page, consoleErrors }) => {
    await signIn(page, DEMO.reporter);
    const release = await holdWasm(page);
    await page.goto('/report?form=1');
    await page.getByLabel('In a few words, what is wrong?').fill('Monitor flickers green');
    await page.getByLabel('What happened? What were you doing?').fill('Only when the dock is plugged in.');
    await page.getByLabel('Phone number to reach you').fill('+44 20 7946 0001');
    await page.getByLabel('The whole company').check();
    release();
    await hydrated(page);
    await expect(page.getByLabel('In a few words, what is wrong?')).toHaveValue('Monitor flickers green');
    await expect(page.getByLabel('What happened? What were you doing?')).toHaveValue('Only when the dock is plugged in.');
    await expect(page.getByLabel('Phone number to reach you')).toHaveValue('+44 20 7946 0001');
    await expect(page.getByLabel('The whole company')).toBeChecked();
    // And it is the live form's own text: it outlives a reload.
    await page.reload();
    await hydrated(page);
    await expect(page.getByLabel('In a few words, what is wrong?')).toHaveValue('Monitor flickers green');
    expect(consoleErrors).toEqual([]);
  });

  test('a reply typed before the ticket page is live is kept', async ({ page, consoleErrors }) => {
    await signIn(page, DEMO.reporter);
    const href = await page.locator('table.tickets a.reference').first().getAttribute('href');
    const release = await holdWasm(page);
    await page.goto(href ?? '/');
    const reply = page.getByLabel('Your message to the service desk');
    await reply.fill('The error came back after lunch.');
    release();
    await hydrated(page);
    await expect(reply).toHaveValue('The error came back after lunch.');
    expect(consoleErrors).toEqual([]);
  });

  test('an address typed before the sign-in page is live is kept', async ({ page, consoleErrors }) => {
    const release = await holdWasm(page);
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(DEMO.reporter);
    release();
    await hydrated(page);
    await expect(page.getByLabel('Email')).toHaveValue(DEMO.reporter);
    expect(consoleErrors).toEqual([]);
  });
});
