import { test, expect, press, expectNoAxeViolations, signIn, hydrated, DEMO, DEMO_PASSWORD } from './fixtures';

// Each demo role, on desktop and (through the phone project) at 375 px with touch.
const roles = [
  { who: 'a reporter', email: DEMO.reporter, lands: '/', heading: 'Your tickets', board: false },
  { who: 'an L1 agent', email: DEMO.l1, lands: '/board', heading: 'Board', board: true },
  { who: 'an L2 agent', email: DEMO.l2, lands: '/board', heading: 'Board', board: true },
  { who: 'an L3 agent', email: DEMO.l3, lands: '/board', heading: 'Board', board: true },
  { who: 'a security agent', email: DEMO.security, lands: '/board', heading: 'Board', board: true },
  { who: 'an admin', email: DEMO.admin, lands: '/board', heading: 'Board', board: true },
];

test.describe('signing in', () => {
  for (const role of roles) {
    test(`${role.who} signs in and lands on their home`, async ({ page, consoleErrors }) => {
      await signIn(page, role.email);
      await expect(page).toHaveURL(new RegExp(`${role.lands === '/' ? '/$' : role.lands}`));
      await expect(page.getByRole('heading', { level: 1, name: role.heading })).toBeVisible();
      const menu = page.getByRole('navigation', { name: 'Main' });
      await expect(menu.getByRole('link', { name: 'Board' })).toHaveCount(role.board ? 1 : 0);
      await expect(menu.getByRole('button', { name: 'Sign out' })).toBeVisible();
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await expectNoAxeViolations(page);
      expect(consoleErrors).toEqual([]);
    });
  }

  test('the sign-in page passes axe and works from the keyboard', async ({ page, consoleErrors }) => {
    await page.goto('/sign-in');
    await hydrated(page);
    await expectNoAxeViolations(page);
    const email = page.getByLabel('Email');
    for (let i = 0; i < 12 && !(await email.evaluate((el) => el === document.activeElement)); i++) {
      await page.keyboard.press('Tab');
    }
    await expect(email).toBeFocused();
    await page.keyboard.type(DEMO.l2);
    await page.keyboard.press('Tab');
    await expect(page.getByLabel('Password')).toBeFocused();
    await page.keyboard.type(DEMO_PASSWORD);
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/board$/);
    expect(consoleErrors).toEqual([]);
  });

  test('a wrong password is refused without saying whether the email exists', async ({ page }) => {
    await page.goto('/sign-in');
    await hydrated(page);
    for (const email of [DEMO.l3, 'nobody@example.org']) {
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill('not the password');
      await press(page, page.getByRole('button', { name: 'Sign in' }));
      await expect(page.getByRole('alert')).toHaveText(
        'That email and password do not match an account. Check both and try again.',
      );
    }
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test('a reporter cannot reach the agent board by URL', async ({ page, consoleErrors }) => {
    await signIn(page, DEMO.reporter2);
    await page.goto('/board');
    await expect(page.getByText('The agent board is for the service desk.')).toBeVisible();
    await expect(page.locator('.card')).toHaveCount(0);
    await expectNoAxeViolations(page);
    // The refused data call answers 403, which the browser reports as a failed load.
    expect(consoleErrors.filter((e) => !e.includes('403'))).toEqual([]);
  });

  test('after signing in, a crafted next address never leaves the site', async ({ page, baseURL, consoleErrors }) => {
    test.setTimeout(90_000);
    const origin = new URL(baseURL ?? '').origin;
    // What browsers normalise to another origin: tab, newline, backslash, dot segments.
    const crafted = ['/\t/evil.example', '/\n/evil.example', '/\\evil.example', '/..//evil.example',
      '//evil.example', 'https://evil.example/', '/%2e%2e//evil.example'];
    for (const next of crafted) {
      await page.context().clearCookies();
      await page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
      await hydrated(page);
      await page.getByLabel('Email').fill(DEMO.l2);
      await page.getByLabel('Password').fill(DEMO_PASSWORD);
      await press(page, page.getByRole('button', { name: 'Sign in' }));
      // Not followed: the agent lands on their own home, on this site.
      await expect(page, next).toHaveURL(/\/board$/);
      expect(new URL(page.url()).origin, next).toBe(origin);
    }
    // A real path on the site is still followed.
    await page.context().clearCookies();
    await page.goto(`/sign-in?next=${encodeURIComponent('/report')}`);
    await hydrated(page);
    await page.getByLabel('Email').fill(DEMO.l2);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await press(page, page.getByRole('button', { name: 'Sign in' }));
    await expect(page).toHaveURL(/\/report$/);
    // The board left open while its cookie is cleared gets 401s: expected.
    expect(consoleErrors.filter((e) => !e.includes('401'))).toEqual([]);
  });

  test('signing out ends the session and the board asks to sign in again', async ({ page }) => {
    await signIn(page, DEMO.l1);
    await press(page, page.getByRole('button', { name: 'Sign out' }));
    await expect(page).toHaveURL(/\/sign-in$/);
    await page.goto('/board');
    await expect(page.getByRole('heading', { name: 'Please sign in' })).toBeVisible();
    await press(page, page.getByRole('link', { name: 'Sign in' }).last());
    await expect(page).toHaveURL(/\/sign-in\?next=\/board$/);
    await hydrated(page);
    await page.getByLabel('Email').fill(DEMO.l1);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await press(page, page.getByRole('button', { name: 'Sign in' }));
    // Back where they were going.
    await expect(page).toHaveURL(/\/board$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Board' })).toBeVisible();
  });
});
