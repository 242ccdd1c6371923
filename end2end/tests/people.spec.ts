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

  test('an admin chooses who leads each tier; only agents who can work the tier are offered', async ({ page, consoleErrors }, testInfo) => {
    await signIn(page, DEMO.admin);
    await page.goto('/people');
    await hydrated(page);
    const leads = () => page.getByRole('region', { name: 'Tier leads' });
    await expect(leads().getByLabel('L1 lead')).toBeVisible();
    await expectNoAxeViolations(page);

    // Only specialists may lead L3.
    const l3Options = await leads().getByLabel('L3 lead').locator('option').allTextContents();
    expect(l3Options.filter((o) => /L[12] agent/.test(o))).toEqual([]);
    expect(l3Options.some((o) => o.includes('L3 agent'))).toBe(true);

    // Each browser project changes its own tier, so the two never race.
    const tier = testInfo.project.name === 'phone' ? 'L1' : 'L2';
    const select = () => leads().getByLabel(`${tier} lead`);
    const previous = await select().inputValue();
    expect(previous, 'the demo data gives every tier a lead').not.toBe('');

    // Hand the tier to a specialist, then back: each save is kept.
    const specialist = await select().locator('option', { hasText: 'L3 agent' }).first().getAttribute('value');
    await select().selectOption(specialist!);
    await press(page, leads().getByRole('button', { name: `Save ${tier} lead` }));
    await expect(leads().getByRole('status')).toHaveText('Tier leads saved.');
    await page.reload();
    await hydrated(page);
    await expect(select()).toHaveValue(specialist!);
    await select().selectOption(previous);
    await press(page, leads().getByRole('button', { name: `Save ${tier} lead` }));
    await expect(leads().getByRole('status')).toHaveText('Tier leads saved.');
    await expect(select()).toHaveValue(previous);
    expect(consoleErrors).toEqual([]);
  });

  test('an agent cannot open the directory', async ({ page }) => {
    await signIn(page, DEMO.l3);
    await page.goto('/people');
    await expect(page.getByText('Only an administrator can manage people.')).toBeVisible();
    await expect(page.locator('.directory')).toHaveCount(0);
  });
});
