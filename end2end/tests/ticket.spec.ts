import { test, expect, expectNoAxeViolations, signIn, hydrated, DEMO } from './fixtures';

test.describe('a ticket page', () => {
  test("a reporter opens their own ticket from the list, and not someone else's", async ({ page, consoleErrors }) => {
    await signIn(page, DEMO.reporter);
    // The list is live: another test's new ticket can take the first row
    // between reading it and tapping it, so the tap names what was read.
    const reference = (await page.locator('table.tickets a.reference').first().textContent())?.trim() ?? '';
    expect(reference).toMatch(/^(INC|REQ|SEC)-\d{6}$/);
    await page.locator('table.tickets').getByRole('link', { name: reference, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/incidents/${reference}$`));
    await expect(page.getByRole('heading', { level: 1 })).toContainText(reference);
    await expect(page.getByRole('heading', { name: 'Timeline' })).toBeVisible();
    await expect(page.getByText('Internal')).toHaveCount(0);
    await page.reload();
    await hydrated(page);
    await expectNoAxeViolations(page);
    expect(consoleErrors).toEqual([]);
  });

  test('a ticket that is not yours reads as not found, and the page still hydrates', async ({ page, consoleErrors }) => {
    await signIn(page, DEMO.reporter2);
    await page.goto('/incidents/INC-999999');
    await hydrated(page);
    await expect(page.getByRole('heading', { name: 'Ticket not found' })).toBeVisible();
    await expect(page.getByRole('alert')).toHaveText('There is no ticket INC-999999 that you can see.');
    // Only the refused data call; no hydration error.
    expect(consoleErrors.filter((e) => !e.includes('404'))).toEqual([]);
  });
});
