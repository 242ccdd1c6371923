import { test, expect, press, expectNoAxeViolations, signIn, hydrated, DEMO } from './fixtures';

test.describe('people, as an admin', () => {
  test('an admin adds an agent, who can then sign in', async ({ page, consoleErrors }) => {
    await signIn(page, DEMO.admin);
    await press(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People' }));
    await expect(page.getByRole('heading', { level: 1, name: 'People' })).toBeVisible();
    await hydrated(page);
    await expectNoAxeViolations(page);

    const email = `new.agent.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.org`;
    await page.getByLabel('Name').fill('Nia New');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Role').selectOption('agent');
    await page.getByLabel('Tier (agents only)').selectOption('L2');
    await page.getByLabel('First password').fill('welcome to the desk');
    await press(page, page.getByRole('button', { name: 'Add person' }));
    await expect(page.getByRole('status')).toHaveText('Added Nia New (L2 agent).');
    await expect(page.locator('.directory').getByText(email)).toBeVisible();

    await press(page, page.getByRole('button', { name: 'Sign out' }));
    await expect(page).toHaveURL(/\/sign-in$/);
    await signIn(page, email, 'welcome to the desk');
    await expect(page).toHaveURL(/\/board$/);
    expect(consoleErrors).toEqual([]);
  });

  test('an agent cannot open the directory', async ({ page }) => {
    await signIn(page, DEMO.l3);
    await page.goto('/people');
    await expect(page.getByText('Only an administrator can manage people.')).toBeVisible();
    await expect(page.locator('.directory')).toHaveCount(0);
  });
});
