import type { Browser, Page } from '@playwright/test';
import {
  test,
  expect,
  press,
  expectNoAxeViolations,
  fillReporter,
  signIn,
  hydrated,
  uniqueTitle,
  expectNoOverflow,
  DEMO,
} from './fixtures';

/** Opens "Report a problem" from the menu, as a reporter would. */
async function startReport(page: Page) {
  await press(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Report a problem' }));
  await expect(page.getByRole('heading', { level: 1, name: 'Report a problem' })).toBeVisible();
  await hydrated(page);
}

/** Topics and answers are links to the next step's address. */
async function choose(page: Page, name: string | RegExp) {
  await press(page, page.getByRole('main').getByRole('link', { name }));
}

/** A second person in their own browser context (own cookies), signed in. */
async function secondPerson(browser: Browser, email: string, project: { use: { viewport?: unknown } }) {
  const context = await browser.newContext({ viewport: (project.use.viewport as { width: number; height: number }) ?? undefined });
  const page = await context.newPage();
  await signIn(page, email);
  return { context, page };
}

test.describe('the self-service portal', () => {
  test('a guide suggests a fix, and "This fixed it" ends there', async ({ page, consoleErrors }) => {
    await signIn(page, DEMO.reporter);
    await startReport(page);
    await expectNoAxeViolations(page);
    await expectNoOverflow(page);
    await choose(page, /Network or VPN/);
    await expect(page.getByRole('heading', { level: 1, name: "What isn't working?" })).toBeVisible();
    await choose(page, 'Wi-Fi');
    await expect(page.getByRole('heading', { level: 1, name: 'Do other people near you have working Wi-Fi?' })).toBeVisible();
    // Back goes one question back, keeping the way forward open.
    await press(page, page.getByRole('link', { name: '← Back' }));
    await expect(page.getByRole('heading', { level: 1, name: "What isn't working?" })).toBeVisible();
    await choose(page, 'Wi-Fi');
    await expect(page.getByRole('progressbar', { name: 'Progress' })).toBeVisible();
    await choose(page, 'Yes, it seems to be just me');
    await choose(page, 'It keeps dropping or is very slow');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Try this: Turn Wi-Fi off and on again');
    await expectNoAxeViolations(page);
    await expectNoOverflow(page);
    await press(page, page.getByRole('button', { name: 'This fixed it' }));
    await expect(page.getByRole('heading', { level: 1, name: 'Glad it works again' })).toBeVisible();
    expect(consoleErrors).toEqual([]);
  });

  test('a guide works from the keyboard alone, the focus following each step', async ({ page, consoleErrors }) => {
    await signIn(page, DEMO.reporter);
    await page.goto('/report');
    await hydrated(page);
    const printer = page.getByRole('link', { name: /^Printer/ });
    for (let i = 0; i < 30 && !(await printer.evaluate((el) => el === document.activeElement)); i++) {
      await page.keyboard.press('Tab');
    }
    await expect(printer).toBeFocused();
    // Each step is a page from the server: its question's heading has the
    // focus, and the next Tab reaches its first answer.
    const step = async (question: string | RegExp, answer: string) => {
      await expect(page.getByRole('heading', { level: 1, name: question })).toBeFocused();
      await page.keyboard.press('Tab');
      await expect(page.getByRole('link', { name: answer })).toBeFocused();
      await page.keyboard.press('Enter');
    };
    await page.keyboard.press('Enter');
    await step("What's the problem?", 'I print, but nothing comes out');
    await step(/./, 'Yes, it looks ready');
    await step(/./, "Yes, it's just my prints that don't come out");
    const fix = page.getByRole('heading', { level: 1 });
    await expect(fix).toHaveText('Try this: Clear stuck print jobs');
    await expect(fix).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: 'This fixed it' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: 'Glad it works again' })).toBeFocused();
    expect(consoleErrors).toEqual([]);
  });

  test('a report goes from guide to closure, live on both sides', async ({ page, browser, consoleErrors }, testInfo) => {
    const title = uniqueTitle('Floor 2 printer prints nothing');
    await signIn(page, DEMO.reporter);
    await startReport(page);
    await choose(page, /^Printer/);
    await choose(page, 'I print, but nothing comes out');
    await choose(page, 'Yes, it looks ready');
    await choose(page, "No, nobody's prints come out");
    await choose(page, 'No, and I need to print now');

    // The form arrives with the answers, and impact and urgency in plain words.
    await expect(page.getByRole('heading', { level: 1, name: 'Describe the problem' })).toBeVisible();
    await expect(page.getByText('Your answers (sent with the report)')).toBeVisible();
    await expect(page.getByText('Can your colleagues print on this printer?')).toBeVisible();
    await expect(page.getByRole('radio', { name: "I'm blocked" })).toBeChecked();
    await expectNoAxeViolations(page);
    await expectNoOverflow(page);
    await page.getByLabel('In a few words, what is wrong?').fill(title);
    await page.getByLabel('What happened? What were you doing?').fill('Jobs leave the queue, no paper comes out.');
    await page.getByLabel('Which service or device?').fill('PRN-0207');
    await page.getByLabel('Day', { exact: true }).fill('2026-11-27');
    await page.getByLabel('Time, if you know it').fill('08:45');
    await expect(page.getByLabel('Phone number to reach you')).toHaveAttribute('type', 'tel');
    await expect(page.getByLabel('Phone number to reach you')).toHaveAttribute('autocomplete', 'tel');
    await page.getByLabel('Phone number to reach you').fill('+44 20 7946 0001');
    // The reporter corrects the suggestion: only they are blocked, and they can wait.
    await press(page, page.getByRole('radio', { name: 'Just me' }));
    await press(page, page.getByRole('radio', { name: 'It slows me down' }));
    await press(page, page.getByRole('button', { name: 'Send report' }));

    await expect(page.getByRole('heading', { level: 1, name: 'Thank you, it is logged' })).toBeVisible();
    const reference = (await page.locator('.receipt .reference').textContent())?.trim() ?? '';
    expect(reference).toMatch(/^INC-\d{6}$/);
    await expect(page.getByText(/Expect a first response within \d+ (minutes|hours?)/)).toBeVisible();
    await press(page, page.getByRole('link', { name: 'Follow your ticket' }));
    await expect(page).toHaveURL(new RegExp(`/incidents/${reference}$`));
    await hydrated(page);
    await expect(page.getByRole('heading', { level: 1 })).toContainText(title);
    await expect(page.getByText('Answers given when reporting')).toBeVisible();
    await expect(page.locator('dt', { hasText: 'Started' }).locator('+ dd')).toHaveText('2026-11-27 08:45');

    // An agent, in another browser, takes it and asks a question.
    const agent = await secondPerson(browser, DEMO.l1, testInfo.project);
    try {
      await agent.page.goto(`/incidents/${reference}`);
      await hydrated(agent.page);
      await press(agent.page, agent.page.getByRole('button', { name: 'Assign to me' }));
      await expect(agent.page.locator('.facts .state')).toHaveText('assigned');
      await press(agent.page, agent.page.getByRole('button', { name: 'Start work' }));
      await expect(agent.page.locator('.facts .state')).toHaveText('in progress');

      // The reporter's page shows the question without a reload, without jumping.
      await page.evaluate(() => {
        (window as unknown as { shift: number }).shift = 0;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) {
            if (!entry.hadRecentInput) (window as unknown as { shift: number }).shift += entry.value;
          }
        }).observe({ type: 'layout-shift', buffered: false });
      });
      await agent.page.getByLabel('Message').fill('Which tray did you print to?');
      await press(agent.page, agent.page.getByRole('button', { name: 'Send reply' }));
      await expect(page.getByText('Which tray did you print to?')).toBeVisible();
      await expect(page.locator('.facts .state')).toHaveText('in progress');
      const shift = await page.evaluate(() => (window as unknown as { shift: number }).shift);
      expect(shift).toBeLessThan(0.1);

      // The reporter answers; the agent sees it live, then resolves.
      await page.getByLabel('Your message to the service desk').fill('Tray 2, the A4 one.');
      await press(page, page.getByRole('button', { name: 'Send reply' }));
      await expect(agent.page.getByText('Tray 2, the A4 one.')).toBeVisible();
      // The reporter's list, open in another tab, follows along too.
      const list = await page.context().newPage();
      await list.goto('/');
      await hydrated(list);
      const listed = list.getByRole('row', { name: new RegExp(reference) });
      await expect(listed).toContainText('in progress');
      await agent.page.getByLabel('Resolution code').selectOption('solved');
      await agent.page.getByLabel('Resolution (the reporter sees it)').fill('Replaced the fuser unit.');
      await press(agent.page, agent.page.getByRole('button', { name: 'Resolve' }));
      await expect(agent.page.locator('.facts .state')).toHaveText('resolved');
      await expect(listed).toContainText('resolved');
      await list.close();

      // The reporter is asked, live, whether it is fixed, and confirms.
      await expect(page.getByRole('heading', { name: 'Is it fixed?' })).toBeVisible();
      await expect(page.getByText('Replaced the fuser unit.').first()).toBeVisible();
      await expectNoAxeViolations(page);
      await press(page, page.getByRole('button', { name: "Yes, it's fixed" }));
      await expect(page.locator('.facts .state')).toHaveText('closed');
      await expect(page.getByText('You confirmed the fix; closed')).toBeVisible();
      await expect(agent.page.locator('.facts .state')).toHaveText('closed');
      await expect(page.getByRole('heading', { name: 'Add a reply' })).toHaveCount(0);

      // My tickets lists it among the closed ones.
      await page.goto('/');
      await hydrated(page);
      const row = page.locator('table.tickets', { hasText: 'Closed' }).getByRole('row', { name: new RegExp(reference) });
      await expect(row).toContainText('closed');
    } finally {
      await agent.context.close();
    }
    expect(consoleErrors).toEqual([]);
  });

  test('the data-breach path skips the questions and says what to do now', async ({ page, consoleErrors }) => {
    await signIn(page, DEMO.reporter);
    await startReport(page);
    await choose(page, /Security problem or possible data breach/);
    await expect(page.getByRole('heading', { level: 1, name: 'Report a security problem' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Do this now' })).toBeVisible();
    await expect(page.getByText(/Don't delete anything/).first()).toBeVisible();
    await expectNoAxeViolations(page);
    await expectNoOverflow(page);
    await page.getByLabel('In a few words, what is wrong?').fill(uniqueTitle('Sent the payroll file to a supplier'));
    await press(page, page.getByRole('button', { name: 'Send report' }));
    await expect(page.getByRole('heading', { level: 1, name: 'Thank you, it is logged' })).toBeVisible();
    const reference = (await page.locator('.receipt .reference').textContent())?.trim() ?? '';
    expect(reference).toMatch(/^SEC-\d{6}$/);
    await expect(page.getByText('a security incident')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Meanwhile, do this now' })).toBeVisible();
    expect(consoleErrors).toEqual([]);
  });

  test('known fixes appear under the title and open without losing the form', async ({ page, consoleErrors }) => {
    await signIn(page, DEMO.reporter);
    await startReport(page);
    await press(page, page.getByRole('link', { name: 'Skip the questions and describe it myself' }));
    await expect(page.getByRole('heading', { level: 1, name: 'Describe the problem' })).toBeVisible();
    await page.getByLabel('What happened? What were you doing?').fill('Since this morning.');
    await page.getByLabel('In a few words, what is wrong?').fill('VPN client keeps dropping');
    const fix = page.locator('.suggestions summary', { hasText: 'Known fix: Restart the VPN client' });
    await expect(fix).toBeVisible();
    await press(page, fix);
    await expect(page.locator('.suggestions details[open] ol li').first()).toBeVisible();
    await expect(page.getByLabel('In a few words, what is wrong?')).toHaveValue('VPN client keeps dropping');
    await expect(page.getByLabel('What happened? What were you doing?')).toHaveValue('Since this morning.');
    // A refused report keeps what was typed and says why.
    await page.getByLabel('Day', { exact: true }).fill('2026-11-27');
    await page.getByLabel('Time, if you know it').fill('09:30');
    await page.getByLabel('Phone number to reach you').fill('call me maybe');
    await press(page, page.getByRole('button', { name: 'Send report' }));
    await expect(page.getByRole('alert')).toContainText('does not look like a phone number');
    await expect(page.getByLabel('In a few words, what is wrong?')).toHaveValue('VPN client keeps dropping');
    expect(consoleErrors.filter((e) => !e.includes('422'))).toEqual([]);
  });

  test('markup in ticket text stays text', async ({ page, consoleErrors }) => {
    let dialogs = 0;
    page.on('dialog', async (dialog) => {
      dialogs += 1;
      await dialog.dismiss();
    });
    await signIn(page, DEMO.reporter);
    await startReport(page);
    await press(page, page.getByRole('link', { name: 'Skip the questions and describe it myself' }));
    const title = `<img src=x onerror=alert(1)> ${uniqueTitle('x')}`;
    await page.getByLabel('In a few words, what is wrong?').fill(title);
    await page
      .getByLabel('What happened? What were you doing?')
      .fill('<script>window.pwned = 1</script> <a href="javascript:alert(2)">click</a> javascript:alert(3)');
    await page.getByLabel('Which service or device?').fill('<b>bold</b>');
    await press(page, page.getByRole('button', { name: 'Send report' }));
    await press(page, page.getByRole('link', { name: 'Follow your ticket' }));
    await hydrated(page);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('<img src=x onerror=alert(1)>');
    await expect(page.locator('.description').first()).toContainText('<script>window.pwned = 1</script>');
    await expect(page.getByText('<b>bold</b>')).toBeVisible();
    // Also after a full server render.
    await page.reload();
    await hydrated(page);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('<img src=x onerror=alert(1)>');
    expect(await page.locator('article img, article script, article b, a[href^="javascript:"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(dialogs).toBe(0);
    expect(consoleErrors).toEqual([]);
  });

  test('an L1 agent identifies a ticket as a service request', async ({ page, consoleErrors }) => {
    const title = uniqueTitle('New starter needs a laptop');
    await signIn(page, DEMO.l1);
    await page.goto('/');
    await hydrated(page);
    await fillReporter(page);
    await page.getByLabel('What is broken?').fill(title);
    await press(page, page.getByRole('button', { name: 'Log incident' }));
    const logged = page.getByRole('status').filter({ hasText: title });
    await expect(logged).toBeVisible();
    const reference = (await logged.locator('strong').textContent())?.trim() ?? '';
    expect(reference).toMatch(/^INC-\d{6}$/);
    await page.goto(`/incidents/${reference}`);
    await hydrated(page);
    await press(page, page.getByRole('button', { name: 'This is a service request' }));
    await expect(page.getByRole('heading', { level: 1 })).toContainText(reference.replace('INC-', 'REQ-'));
    await expect(page.getByText('Identified as a service request')).toBeVisible();
    // An internal note: after the ticket reloads, the box is clear again, so
    // the next message cannot go out internal (or public) by mistake.
    await page.getByLabel('Message').fill('Asset tag requested from HR.');
    await press(page, page.getByLabel('Internal note (the reporter does not see it)'));
    await press(page, page.getByRole('button', { name: 'Add note' }));
    await expect(page.getByText('Asset tag requested from HR.')).toBeVisible();
    await expect(page.getByLabel('Internal note (the reporter does not see it)')).not.toBeChecked();
    await expect(page.getByRole('button', { name: 'Send reply' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'This is an incident' })).toBeVisible();
    await expectNoAxeViolations(page);
    expect(consoleErrors).toEqual([]);
  });
});
