import { test, expect, press, uniqueTitle, expectNoAxeViolations, fillReporter, signIn, DEMO } from './fixtures';

test.describe('service desk home page, as an L1 agent taking calls', () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page, DEMO.l1);
  });

  test('hydrates, then logs an incident through a server function', async ({ page, consoleErrors }) => {
    await page.goto('/');
    const title = page.getByLabel('What is broken?');
    const submit = page.getByRole('button', { name: 'Log incident' });

    // Rendered on the server with the button disabled; only the WASM enables it.
    await expect(submit).toBeEnabled();

    const text = uniqueTitle('VPN drops every ten minutes');
    await fillReporter(page);
    await title.fill(text);
    await press(page, submit);

    // The result comes back from the server into a reactive signal...
    const status = page.getByRole('status');
    await expect(status).toContainText(/Logged INC-\d{6}: /);
    await expect(status).toContainText(text);
    // ...and the list refetches without a page load.
    await expect(page.getByRole('list').getByText(text)).toBeVisible();
    await expect(title).toHaveValue('');
    await expect(title).toBeFocused();
    // The reporter's details stay for the next report.
    await expect(page.getByLabel("Caller's name")).toHaveValue('Ada Lovelace');

    // It was stored: a fresh server render shows it too.
    await page.reload();
    await expect(page.getByRole('list').getByText(text)).toBeVisible();
    expect(consoleErrors).toEqual([]);
  });

  test('works from the keyboard alone', async ({ page, consoleErrors }) => {
    await page.goto('/');
    await expect(page.getByRole('button', { name: 'Log incident' })).toBeEnabled();
    const name = page.getByLabel("Caller's name");
    // Tab from the top of the page reaches the form, then moves field by field.
    for (let i = 0; i < 12 && !(await name.evaluate((el) => el === document.activeElement)); i++) {
      await page.keyboard.press('Tab');
    }
    await expect(name).toBeFocused();
    await page.keyboard.type('Grace Hopper');
    await page.keyboard.press('Tab');
    await expect(page.getByLabel('Email or phone')).toBeFocused();
    await page.keyboard.type('+1 202 555 0143');
    await page.keyboard.press('Tab');
    await expect(page.getByLabel('What is broken?')).toBeFocused();
    const text = uniqueTitle('Keyboard report: printer offline');
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('status')).toContainText(text);
    expect(consoleErrors).toEqual([]);
  });

  test('a blank title gets a clear message and nothing is logged', async ({ page, consoleErrors }) => {
    await page.goto('/');
    const submit = page.getByRole('button', { name: 'Log incident' });
    await expect(submit).toBeEnabled();
    await fillReporter(page);
    await page.getByLabel('What is broken?').fill('    ');
    await press(page, submit);
    await expect(page.getByRole('alert')).toHaveText('Please describe the problem in a few words.');
    await expect(page.getByRole('status')).toHaveCount(0);
    // The failed call answers 422, which the browser reports as a failed resource load.
    expect(consoleErrors.filter((e) => !e.includes('422'))).toEqual([]);
  });

  test('markup in a title is shown as text, never run', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('button', { name: 'Log incident' })).toBeEnabled();
    const marker = uniqueTitle('x');
    const hostile = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> ${marker}`;
    await fillReporter(page, '<b>Mallory</b>');
    await page.getByLabel('What is broken?').fill(hostile);
    await press(page, page.getByRole('button', { name: 'Log incident' }));
    await expect(page.getByRole('list').getByText(hostile)).toBeVisible();
    await page.reload();
    await expect(page.getByRole('list').getByText(hostile)).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await expect(page.locator('main img')).toHaveCount(0);
  });

  test('fits the screen and passes axe', async ({ page, consoleErrors }) => {
    await page.goto('/');
    await expect(page.getByRole('button', { name: 'Log incident' })).toBeEnabled();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    // Touch targets are at least 44 px tall.
    for (const target of [
      page.getByRole('button', { name: 'Log incident' }),
      page.getByLabel('What is broken?'),
      page.getByLabel("Caller's name"),
      page.getByLabel('Email or phone'),
    ]) {
      const box = await target.boundingBox();
      expect(box?.height ?? 0).toBeGreaterThanOrEqual(44);
    }
    await expectNoAxeViolations(page);
    expect(consoleErrors).toEqual([]);
  });

  test('an unknown address shows a page-not-found with a way home', async ({ page }) => {
    const response = await page.goto('/no/such/page');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
    await expectNoAxeViolations(page);
    await press(page, page.getByRole('link', { name: 'Go to the service desk home page' }));
    await expect(page.getByRole('heading', { name: 'Service desk' })).toBeVisible();
  });
});
