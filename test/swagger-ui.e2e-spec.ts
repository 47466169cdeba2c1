import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createTestApp } from './utils/create-test-app';

/** Debian's chromium (`apt-get install chromium`); .ci/run installs it when it is missing. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, 'artifacts');
const available = existsSync(CHROMIUM);

if (!available) {
  if (process.env.CI === 'true') {
    throw new Error(
      `${CHROMIUM} is missing: CI must install Debian's chromium package`,
    );
  }
  console.warn(
    `SKIPPED: the Swagger UI browser test needs ${CHROMIUM} (apt-get install chromium)`,
  );
}

/**
 * Swagger UI in a real browser: /docs loads under the service's security headers with no console error, and
 * "Try it out" on POST /compare with the documented example answers 200 with a percentile_rank.
 */
(available ? describe : describe.skip)(
  'Swagger UI in headless Chromium (e2e)',
  () => {
    let app: NestFastifyApplication;
    let browser: Browser;
    let page: Page;
    let base: string;
    const problems: string[] = [];

    beforeAll(async () => {
      app = await createTestApp();
      await app.listen(0, '127.0.0.1');
      base = await app.getUrl();
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        // No outside network here: no background connections, no sandbox (CI runs as root).
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
          '--disable-quic',
        ],
      });
      page = await browser.newPage({ viewport: { width: 1280, height: 2000 } });
      page.on('console', (message) => {
        if (message.type() === 'error')
          problems.push(`console: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page: ${error.message}`));
      page.on('requestfailed', (request) =>
        problems.push(`request failed: ${request.url()}`),
      );
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await app?.close();
    });

    it('should load /docs under the security headers with every script and style allowed', async () => {
      const response = await page.goto(`${base}/docs`, { waitUntil: 'load' });
      expect(response?.status()).toBe(200);
      const headers = response!.headers();
      expect(headers['content-security-policy']).toContain(
        "default-src 'self'",
      );
      expect(headers['x-content-type-options']).toBe('nosniff');
      // Swagger UI renders the operations only when its scripts ran and read /docs-json.
      await page
        .locator('#operations-comparison-compare')
        .waitFor({ timeout: 15_000 });
      expect(await page.locator('.opblock').count()).toBeGreaterThanOrEqual(10);
      // Its stylesheet applied: the POST badge is styled (not the browser's default transparent background).
      const badge = await page
        .locator('.opblock-post .opblock-summary-method')
        .first()
        .evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(badge).not.toBe('rgba(0, 0, 0, 0)');
      expect(problems).toEqual([]);
    }, 30_000);

    it('should run "Try it out" on POST /compare with the documented example and show the 200 answer', async () => {
      const operation = page.locator('#operations-comparison-compare');
      await operation.locator('.opblock-summary').click();
      await operation.locator('button.try-out__btn').click();
      const body = operation.locator('textarea.body-param__text');
      // The editor starts from the documented example.
      expect(await body.inputValue()).toContain('"user_values"');
      await operation.locator('button.execute').click();
      const status = operation.locator(
        '.live-responses-table .response .response-col_status',
      );
      await status.waitFor({ timeout: 15_000 });
      expect((await status.innerText()).trim()).toBe('200');
      const shown = await operation
        .locator('.live-responses-table .response-col_description pre')
        .first()
        .innerText();
      expect(shown).toContain('"percentile_rank"');
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({
        path: join(ARTIFACTS, 'swagger-ui-compare.png'),
        fullPage: true,
      });
      await operation.screenshot({
        path: join(ARTIFACTS, 'swagger-ui-compare-operation.png'),
      });
      expect(problems).toEqual([]);
    }, 30_000);
  },
);
