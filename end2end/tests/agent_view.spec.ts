import type { Browser, Page } from '@playwright/test';
import { test, expect, press, expectNoAxeViolations, expectNoOverflow, signIn, hydrated, uniqueTitle, DEMO } from './fixtures';

/** A second person in their own browser context (own cookies), signed in. */
async function secondPerson(browser: Browser, email: string, project: { use: { viewport?: unknown } }) {
  const context = await browser.newContext({ viewport: (project.use.viewport as { width: number; height: number }) ?? undefined });
  const page = await context.newPage();
  await signIn(page, email);
  return { context, page };
}

/** A `datetime-local` value two days from now at 10:00. */
function inTwoDaysAtTen() {
  const day = new Date(Date.now() + 2 * 86_400_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${day.getUTCFullYear()}-${pad(day.getUTCMonth() + 1)}-${pad(day.getUTCDate())}T10:00`;
}

test.describe('the agent ticket view', () => {
  test('an L1 agent schedules a call, triages and escalates; the reporter gets the call', async ({
    page,
    browser,
    consoleErrors,
  }, testInfo) => {
    // The reporter logs a problem of their own.
    await signIn(page, DEMO.reporter);
    await press(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Report a problem' }));
    await hydrated(page);
    await press(page, page.getByRole('link', { name: 'Skip the questions and describe it myself' }));
    const title = uniqueTitle('Docking station loses the screens');
    await page.getByLabel('In a few words, what is wrong?').fill(title);
    await press(page, page.getByRole('button', { name: 'Send report' }));
    await expect(page.getByRole('heading', { level: 1, name: 'Thank you, it is logged' })).toBeVisible();
    const reference = (await page.locator('.receipt .reference').textContent())?.trim() ?? '';
    expect(reference).toMatch(/^INC-\d{6}$/);

    const agent = await secondPerson(browser, DEMO.l1, testInfo.project);
    try {
      const desk = agent.page;
      await desk.goto(`/incidents/${reference}`);
      await hydrated(desk);
      await expect(desk.getByRole('heading', { name: 'Agent controls' })).toBeVisible();
      await expectNoAxeViolations(desk);
      await expectNoOverflow(desk);

      // A call by phone, in two days.
      await desk.getByLabel(/^Date and time/).fill(inTwoDaysAtTen());
      await desk.getByLabel('Length').selectOption('30');
      await desk.getByLabel('Phone number').fill('+44 20 7946 0958');
      await press(desk, desk.getByRole('button', { name: 'Schedule the call' }));
      const scheduled = desk.locator('.timeline li.call');
      await expect(scheduled).toContainText('Call scheduled:');
      await expect(scheduled).toContainText('10:00–10:30');
      await expect(scheduled).toContainText('by phone (+44 20 7946 0958)');

      // Impact and urgency: the resulting priority shows before saving.
      await desk.getByLabel('Impact', { exact: true }).selectOption('high');
      await desk.getByLabel('Urgency', { exact: true }).selectOption('medium');
      await expect(desk.locator('.resulting-priority')).toHaveText('P2 high');
      await press(desk, desk.getByRole('button', { name: 'Save impact and urgency' }));
      await expect(desk.locator('.facts')).toContainText('P2 high');

      // Escalation: a blank reason is refused next to the form, with the domain's sentence.
      await desk.getByLabel('Move to').selectOption('L2');
      await desk.getByLabel('Why move it? (required)').fill('   ');
      await press(desk, desk.getByRole('button', { name: 'Move the ticket' }));
      await expect(desk.locator('#tier-error')).toHaveText('Please give a reason for moving the ticket from L1 to L2.');
      await desk.getByLabel('Why move it? (required)').fill('Needs a hardware engineer at the desk.');
      await press(desk, desk.getByRole('button', { name: 'Move the ticket' }));
      await expect(desk.getByText('Passed to the L2 team')).toBeVisible();
      await expect(desk.locator('.facts')).toContainText('L2');
      await expect(desk.getByText('An L1 agent cannot move a ticket that is at L2.')).toBeVisible();
      await expectNoAxeViolations(desk);
      await expectNoOverflow(desk);
    } finally {
      await agent.context.close();
    }

    // The reporter sees the call, with an invitation that downloads.
    await page.goto(`/incidents/${reference}`);
    await hydrated(page);
    const call = page.locator('.timeline li.call');
    await expect(call).toContainText('Call scheduled:');
    await expect(call).toContainText('by phone (+44 20 7946 0958)');
    await expect(page.getByRole('heading', { name: 'Agent controls' })).toHaveCount(0);
    const link = call.getByRole('link', { name: 'Add to calendar (.ics)' });
    const href = (await link.getAttribute('href')) ?? '';
    expect(href).toMatch(new RegExp(`^/api/incidents/${reference}/calls/\\d+\\.ics$`));
    const invite = await page.request.get(href);
    expect(invite.status()).toBe(200);
    expect(invite.headers()['content-type']).toBe('text/calendar; charset=utf-8');
    const body = await invite.text();
    expect(body.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(body).toContain(`SUMMARY:${reference}: `);
    await expectNoAxeViolations(page);
    expect(consoleErrors).toEqual([]);
  });
});
