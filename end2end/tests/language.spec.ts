import type { Page } from '@playwright/test';
import {
  test,
  expect,
  press,
  hydrated,
  expectNoAxeViolations,
  expectNoOverflow,
  DEMO,
  DEMO_PASSWORD,
} from './fixtures';

// A French browser gets the desk in French from the first page; the choice
// of language, in the masthead or on the account page, is a plain form that
// answers with the same page in that language, and a signed-in person's
// choice is kept on their account.
test.use({ locale: 'fr-FR' });

/** A reporter of this test's own, so a saved language touches no one else. */
async function newReporter(page: Page, baseURL: string): Promise<string> {
  const email = `amelie.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.org`;
  const admin = await page.context().browser()!.newContext();
  try {
    const headers = { Origin: baseURL };
    const signIn = await admin.request.post(`${baseURL}/api/sign_in`, {
      form: { email: DEMO.admin, password: DEMO_PASSWORD },
      headers,
    });
    expect(signIn.status()).toBe(200);
    const added = await admin.request.post(`${baseURL}/api/add_account`, {
      form: { name: 'Amélie Poulain', email, role: 'reporter', password: DEMO_PASSWORD },
      headers,
    });
    expect(added.status(), await added.text()).toBe(200);
  } finally {
    await admin.close();
  }
  return email;
}

const htmlLang = (page: Page) => page.locator('html').getAttribute('lang');

test.describe('in French', () => {
  test('a French browser signs in, and the choice of language follows the account', async ({ page, baseURL, consoleErrors }) => {
    const email = await newReporter(page, baseURL!);

    await page.goto('/sign-in');
    expect(await htmlLang(page)).toBe('fr');
    await expect(page.getByRole('heading', { level: 1, name: 'Connexion' })).toBeVisible();
    await expect(page.locator('.tagline')).toHaveText('Centre de services informatiques');
    await hydrated(page);
    await expectNoAxeViolations(page);
    await expectNoOverflow(page);
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
    await press(page, page.getByRole('button', { name: 'Se connecter' }));
    await expect(page).toHaveURL(/\/$/);
    // The reporter's home, its live list too, in French once the page is live.
    await hydrated(page);
    await expect(page.getByRole('heading', { level: 1, name: 'Vos tickets' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: 'Mes tickets' })).toBeVisible();
    await expect(page.getByText('Vous n’avez encore rien signalé.')).toBeVisible();
    await expectNoAxeViolations(page);
    await expectNoOverflow(page);
    const menu = page.getByRole('navigation', { name: 'Menu principal' });
    await expect(menu.getByRole('link', { name: 'Signaler un problème' })).toBeVisible();
    await expect(menu.getByRole('button', { name: 'Se déconnecter' })).toBeVisible();

    // A report in French, from the menu to the receipt.
    await press(page, menu.getByRole('link', { name: 'Signaler un problème' }));
    await expect(page.getByRole('heading', { level: 1, name: 'Signaler un problème' })).toBeVisible();
    await press(page, page.getByRole('link', { name: 'Passer les questions et le décrire moi-même' }));
    await expect(page.getByRole('heading', { level: 1, name: 'Décrivez le problème' })).toBeVisible();
    await hydrated(page);
    await expectNoAxeViolations(page);
    await expectNoOverflow(page);
    await page.getByLabel('En quelques mots').fill('Imprimante du 2e étage hors ligne');
    await page.getByLabel('Jour', { exact: true }).fill('2026-11-27');
    await press(page, page.getByRole('radio', { name: 'Mon équipe' }));
    await press(page, page.getByRole('button', { name: 'Envoyer le signalement' }));
    await expect(page.getByRole('heading', { level: 1, name: 'Merci, c’est enregistré' })).toBeVisible();
    await expect(page.locator('.receipt')).toContainText(/Votre référence est (INC|REQ)-\d{6}/);
    await expect(page.getByText(/Attendez-vous à une première réponse d’ici \d+/)).toBeVisible();

    // The account page in French, then saved in English: the desk speaks
    // English to this person though their browser asks for French.
    await page.goto('/account');
    await hydrated(page);
    await expect(page.getByRole('heading', { level: 1, name: 'Votre compte' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: 'Changer de mot de passe' })).toBeVisible();
    await expectNoAxeViolations(page);
    await expectNoOverflow(page);
    const choice = page.getByLabel('Lire le centre de services en');
    await expect(choice).toHaveValue('fr');
    await choice.selectOption('en');
    await press(page, page.getByRole('button', { name: 'Enregistrer la langue' }));
    await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
    await expect(page).toHaveURL(/\/account$/);
    expect(await htmlLang(page)).toBe('en');
    await expect(page.getByLabel('Read the desk in')).toHaveValue('en');

    // In another browser (no cookie), still English once signed in.
    const elsewhere = await page.context().browser()!.newContext({ locale: 'fr-FR' });
    try {
      const other = await elsewhere.newPage();
      await other.goto('/sign-in');
      expect(await htmlLang(other)).toBe('fr');
      await hydrated(other);
      await other.getByLabel('E-mail').fill(email);
      await other.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
      await press(other, other.getByRole('button', { name: 'Se connecter' }));
      const english = other.getByRole('navigation', { name: 'Main' });
      await expect(english.getByRole('link', { name: 'Report a problem' })).toBeVisible();
      expect(await htmlLang(other)).toBe('en');
    } finally {
      await elsewhere.close();
    }

    // The masthead's switch, named in its own language, brings French back
    // on the same page, live or not.
    await press(page, page.getByRole('button', { name: 'Français' }));
    await expect(page.getByRole('heading', { level: 1, name: 'Votre compte' })).toBeVisible();
    await expect(page).toHaveURL(/\/account$/);
    expect(await htmlLang(page)).toBe('fr');
    expect(consoleErrors).toEqual([]);
  });

  test('the switch works before signing in and before the page is live', async ({ page, consoleErrors }) => {
    // The page's WASM never arrives: the switch is a plain form.
    await page.route(/\/pkg\/.*\.wasm$/, () => {
      // Left unanswered: still on its way.
    });
    await page.goto('/sign-in?next=/report');
    expect(await htmlLang(page)).toBe('fr');
    await press(page, page.getByRole('button', { name: 'English' }));
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
    await expect(page).toHaveURL(/\/sign-in\?next=\/report$/);
    expect(await htmlLang(page)).toBe('en');
    await press(page, page.getByRole('button', { name: 'Français' }));
    await expect(page.getByRole('heading', { level: 1, name: 'Connexion' })).toBeVisible();
    expect(consoleErrors).toEqual([]);
  });
});
