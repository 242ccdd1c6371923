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

/** Taps on touch devices and clicks elsewhere, as a person would. */
export async function press(page: Page, target: Locator) {
  const touch = await page.evaluate(() => navigator.maxTouchPoints > 0);
  if (touch) await target.tap();
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

/** Fills in who is reporting, as the quick form asks before the title. */
export async function fillReporter(page: Page, name = 'Ada Lovelace', contact = 'ada@example.org') {
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Email or phone').fill(contact);
}
