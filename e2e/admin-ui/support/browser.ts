import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import type { Mailroom } from '../../support/mailroom-harness';

/** Debian's chromium (scripts/ensure-chromium.sh installs it); Playwright's own browser download is not used. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Headless Chromium on a fresh profile directory, removed again on close. */
export async function launchBrowser(options: { locale?: string } = {}): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `no Chromium at ${CHROMIUM_PATH}: install Debian's package (apt-get install -y chromium; scripts/test.sh does it) or set CHROMIUM_PATH`,
    );
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'mailroom-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_FLAGS,
    locale: options.locale ?? 'es-ES',
    viewport: { width: 1100, height: 900 },
    timezoneId: 'Europe/Madrid',
  });
  // Fail fast and say what was awaited, rather than at jest's timeout.
  context.setDefaultTimeout(10_000);
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Mints a tenant token with the platform key, as the platform does, and returns the URL it would open. */
export async function adminUrl(m: Mailroom, tenantId: string, screen = '/', query = ''): Promise<string> {
  const minted = await m.call('POST', `/v1/tenants/${tenantId}/tokens`);
  if (minted.status !== 201) throw new Error(`could not mint a token for ${tenantId}: ${JSON.stringify(minted.body)}`);
  const fragment = new URLSearchParams({ token: minted.body.token, tenant: tenantId });
  return `${m.api.url}/ui${screen}${query ? `?${query}` : ''}#${fragment}`;
}

export interface OpenedPage {
  page: Page;
  /** Console errors and page errors seen so far (a CSP violation is one). */
  problems: string[];
}

/** A new tab on a screen of the admin app, as the platform would open it. */
export async function openAdmin(browser: Browser, m: Mailroom, tenantId: string, screen = '/', query = ''): Promise<OpenedPage> {
  const page = await browser.context.newPage();
  const problems: string[] = [];
  page.on('console', (msg) => {
    // An API answer of 4xx is part of the scenario (a 400 with field errors); anything else is a problem.
    if (msg.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(msg.text()))
      problems.push(msg.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(await adminUrl(m, tenantId, screen, query));
  await page.locator('#page-heading, main h1').first().waitFor();
  return { page, problems };
}

/** What a "Send"/"Save" click leads to: a role=status or role=alert notice. */
export function outcome(page: Page) {
  return page.locator('#save-outcome');
}
