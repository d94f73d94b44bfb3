// A real browser for the tests of what people look at (/docs, /console): Debian's Chromium driven by
// playwright-core. Playwright's own browser downloads are never used; without /usr/bin/chromium the browser tests
// skip with a plain reason, unless OPENPREM_TEST_REQUIRE_BROWSER=1 (CI), where a missing browser is a failure.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const CHROMIUM_PATH = process.env.OPENPREM_TEST_CHROMIUM ?? '/usr/bin/chromium';
const REQUIRE_BROWSER = process.env.OPENPREM_TEST_REQUIRE_BROWSER === '1';
const SCREENSHOT_DIR = path.resolve(import.meta.dirname, '../../docs/screenshots');

/** For `test(name, { skip: BROWSER_SKIP }, …)`: a reason to skip, or false when the browser tests must run. */
export const BROWSER_SKIP: string | false =
  existsSync(CHROMIUM_PATH) || REQUIRE_BROWSER
    ? false
    : `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium); browser tests skipped`;

export interface BrowserPage {
  readonly page: Page;
  readonly context: BrowserContext;
  /** Every request the page made to another origin than `origin` (none is allowed: no CDN, no telemetry). */
  readonly foreignRequests: string[];
  /** Console errors and uncaught page errors, for assertions and for failure messages. */
  readonly errors: string[];
}

export interface TestBrowser {
  /** A fresh context (no shared storage) on a page of `origin`; requests elsewhere are recorded and aborted. */
  open(origin: string, options?: { width?: number; height?: number }): Promise<BrowserPage>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`OPENPREM_TEST_REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM_PATH}`);
  // --no-sandbox: CI runs as root, where Chromium refuses its sandbox.
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  return {
    async open(origin, { width = 1280, height = 800 } = {}) {
      const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
      const page = await context.newPage();
      const foreignRequests: string[] = [];
      const errors: string[] = [];
      await context.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith('data:') || url.startsWith('blob:') || new URL(url).origin === origin)
          return route.continue();
        foreignRequests.push(url);
        return route.abort('blockedbyclient');
      });
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(`console: ${message.text()}`);
      });
      page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
      return { page, context, foreignRequests, errors };
    },
    close: () => browser.close(),
  };
}

/**
 * Writes docs/screenshots/<name>.png when OPENPREM_UPDATE_SCREENSHOTS=1 (the README shows them); otherwise does
 * nothing, so an ordinary test run leaves the tree unchanged.
 */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  if (process.env.OPENPREM_UPDATE_SCREENSHOTS !== '1') return;
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), type: 'png' });
}
