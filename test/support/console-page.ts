// Steps on the web console's page shared by its browser tests. The test files are compiled without the DOM's types,
// so what runs in the page is written as strings.
import type { Page } from 'playwright-core';

/** Logs in through the form and waits for the menu of views. */
export async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('navigation', { name: 'Views' }).waitFor();
}

/** Opens a view by its link in the menu, as a user would. */
export async function openView(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name, exact: true }).click();
}

/** The names of the views the menu offers. */
export function menuOf(page: Page): Promise<string[]> {
  return page.getByRole('navigation', { name: 'Views' }).getByRole('link').allTextContents();
}

/** Goes to an address below /console/ without reloading (a reload would end the session), as a typed link would. */
export async function goTo(page: Page, path: string): Promise<void> {
  await page.evaluate(
    `history.pushState(null, '', ${JSON.stringify(`/console/${path}`)}); dispatchEvent(new PopStateEvent('popstate'))`,
  );
}

/** Whether the page scrolls sideways (it must not, at any width). */
export function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate('document.documentElement.scrollWidth > document.documentElement.clientWidth');
}

/** An attribute of the element that has the keyboard focus ('id', 'autocomplete', 'data-path'…). */
export function focused(page: Page, attribute: string): Promise<string | null> {
  return page.locator(':focus').getAttribute(attribute);
}

export interface PageLoad {
  /** first-paint and first-contentful-paint, in ms from navigation. */
  paints: Record<string, number>;
  responses: number;
  /** Bytes of every response body since the page was opened (as sent: the node does not compress). */
  bytes: number;
  /** The same for the console's own files (/console/…), without the API's answers. */
  files: number;
  fileBytes: number;
}

/** What the page's loads cost so far, from the browser's own performance entries. */
export function pageLoad(page: Page): Promise<PageLoad> {
  return page.evaluate(`(() => {
    const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
    const files = entries.filter((entry) => new URL(entry.name).pathname.startsWith('/console'));
    const sum = (list) => list.reduce((total, entry) => total + entry.encodedBodySize, 0);
    const paints = Object.fromEntries(performance.getEntriesByType('paint').map((entry) => [entry.name, Math.round(entry.startTime)]));
    return { paints, responses: entries.length, bytes: sum(entries), files: files.length, fileBytes: sum(files) };
  })()`);
}
