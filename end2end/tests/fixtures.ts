import { test as base, expect, type Page, type Locator } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/** Console errors and uncaught exceptions seen while a test ran; each test asserts there were none. */
export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    page.on('pageerror', (err) => errors.push(err.message));
    await use(errors);
  },
});

export { expect };

/** Whether the browser is a touch device (asked once per page: a link opens a new page, and asking mid-load fails). */
const touchPages = new WeakMap<Page, boolean>();
async function isTouch(page: Page): Promise<boolean> {
  const known = touchPages.get(page);
  if (known !== undefined) return known;
  for (let attempt = 0; ; attempt++) {
    try {
      const touch = await page.evaluate(() => navigator.maxTouchPoints > 0);
      touchPages.set(page, touch);
      return touch;
    } catch (err) {
      if (attempt >= 5 || !String(err).includes('Execution context was destroyed')) throw err;
      await page.waitForLoadState('domcontentloaded');
    }
  }
}

/** Taps on touch devices and clicks elsewhere, as a person would. */
export async function press(page: Page, target: Locator) {
  if (await isTouch(page)) await target.tap();
  else await target.click();
}

/** Titles unique to one test run, so parallel tests never read each other's incidents. */
export function uniqueTitle(what: string) {
  return `${what} ${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
}

export async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length} nodes)`);
  expect(summary).toEqual([]);
}

/** No horizontal scrolling at this width. */
export async function expectNoOverflow(page: Page) {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
}

/** Fills in who is calling, as the desk's quick form asks before the title. */
export async function fillReporter(page: Page, name = 'Ada Lovelace', contact = 'ada@example.org') {
  await page.getByLabel("Caller's name").fill(name);
  await page.getByLabel('Email or phone').fill(contact);
}

/** The demo accounts `frontline demo-data` makes, one per role. */
export const DEMO_PASSWORD = 'frontline-demo';
export const DEMO = {
  reporter: 'reporter@example.org',
  reporter2: 'reporter2@example.org',
  l1: 'l1.agent@example.org',
  l2: 'l2.agent@example.org',
  l3: 'l3.agent@example.org',
  security: 'security@example.org',
  admin: 'admin@example.org',
} as const;

/** Waits until the WASM has taken over the server-rendered page, and says why when it cannot. */
export async function hydrated(page: Page) {
  await page.locator('body[data-hydrated], body[data-hydration-failed]').waitFor({ state: 'attached' });
  const failed = await page.locator('body').getAttribute('data-hydration-failed');
  if (failed !== null) throw new Error(`the page could not be made live: ${failed}`);
}

/** Signs in through the sign-in page and waits to land on the role's home. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto('/sign-in');
  await hydrated(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await press(page, page.getByRole('button', { name: 'Sign in' }));
  await expect(page).not.toHaveURL(/\/sign-in/);
}
