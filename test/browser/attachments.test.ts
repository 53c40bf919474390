import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe';
import { launchBrowser } from '../support/browser';
import { startTestStack, type TestStack } from '../support/test-stack';

/* Attaching files in the console: on the new-ticket form and on a reply, with sizes and image thumbnails. */

let stack: TestStack;
let browser: Browser;

/** A 2×2 PNG that browsers render. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVQI12P4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==', 'base64');
const LOG = Buffer.from('2026-12-02 10:15:04 ERROR Entra answered 429\n');

beforeAll(async () => {
  stack = await startTestStack({ clockStart: '2026-12-02T10:00:00+01:00' });
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function signedIn(who: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1100, height: 800 } })).newPage();
  await page.goto(stack.url);
  await page.getByRole('button', { name: `Sign in as ${who}` }).click();
  return page;
}

describe('attachments in the console', () => {
  it('a customer attaches a screenshot and a log to a new ticket; the ticket shows both, with sizes and the image as a thumbnail', async () => {
    const page = await signedIn('customer ACME');
    await page.getByRole('link', { name: 'New ticket' }).first().click();
    await page.getByRole('radio').first().check();
    await page.getByLabel('Title').fill('Sync stops at row 1200');
    await page.getByLabel('Description').fill('Screenshot and log attached.');
    await page.getByLabel('Category').selectOption({ index: 1 });
    await page.getByLabel('Attach files').setInputFiles([
      { name: 'screen.png', mimeType: 'image/png', buffer: PNG },
      { name: 'sync.log', mimeType: '', buffer: LOG },
    ]);
    await expect.poll(() => page.locator('.chosen').textContent()).toContain(`screen.png (${PNG.length} bytes)`);
    await page.getByRole('button', { name: 'File ticket' }).click();
    const list = page.getByRole('region', { name: 'Attachments' });
    await list.waitFor({ state: 'visible', timeout: 10_000 });
    await expect.poll(() => list.locator('li').count(), { timeout: 10_000 }).toBe(2);
    expect(await list.getByRole('button', { name: 'sync.log' }).isVisible()).toBe(true);
    expect(await list.textContent()).toContain(`${LOG.length} bytes · added by Alice at ACME`);
    // The thumbnail is the image itself, fetched with the person's token and drawn.
    const thumbnail = list.getByRole('img', { name: 'Preview of screen.png' });
    await thumbnail.waitFor({ state: 'visible', timeout: 10_000 });
    await expect.poll(() => thumbnail.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth), { timeout: 10_000 }).toBe(2);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('an agent attaches a file to a reply by dropping it; a file of the wrong kind shows why it was not attached', async () => {
    const page = await signedIn('agent');
    const id = (await stack.call('GET', '/tickets?limit=1', { token: await stack.token('agent') })).body.items[0].id as string;
    await page.goto(`${stack.url}/#/tickets/${id}`);
    const drop = page.locator('fieldset.drop');
    await drop.waitFor({ state: 'visible', timeout: 10_000 });
    // A drop as the browser makes it: a DataTransfer carrying the file.
    const transfer = await page.evaluateHandle(
      ([name, text]) => {
        const web = globalThis as unknown as {
          DataTransfer: new () => { items: { add(file: unknown): void } };
          File: new (parts: string[], name: string, options: { type: string }) => unknown;
        };
        const data = new web.DataTransfer();
        data.items.add(new web.File([text], name, { type: 'image/png' }));
        return data;
      },
      ['not-really.png', 'plain text, not a PNG'] as const,
    );
    await drop.dispatchEvent('drop', { dataTransfer: transfer });
    await expect.poll(() => page.locator('.chosen').textContent()).toContain('not-really.png');
    await page.getByRole('button', { name: 'Send files' }).click();
    const list = page.getByRole('region', { name: 'Attachments' });
    await expect.poll(() => list.textContent(), { timeout: 10_000 }).toContain('Not attached: The file is not a PNG image as announced');
  });
});

describe("the ticket page's resolution", () => {
  it('shows the desk "resolve by" on a running ticket, and the business time it took once resolved; the customer sees no target', async () => {
    const [agentToken, acme] = [await stack.token('agent'), await stack.token('customer', 'ACME')];
    // High, opened Wednesday 2 December 10:00: three business days of 8 hours end Monday 7 December 10:00.
    const id = (await stack.call('POST', '/tickets', { token: acme, body: { title: 'Exports fail', description: 'Since the update.', category: 'other', priority: 'high' } })).body.id as string;
    const agent = await signedIn('agent');
    await agent.goto(`${stack.url}/#/tickets/${id}`);
    const facts = agent.locator('p.facts');
    await expect.poll(() => facts.textContent(), { timeout: 10_000 }).toContain('Resolve by Mon 7 Dec 2026, 10:00 (Copenhagen)');
    // Resolved at 11:30 the same day: an hour and a half of business time.
    stack.at.set('2026-12-02T11:30:00+01:00');
    for (const status of ['in_progress', 'resolved']) expect((await stack.call('PATCH', `/tickets/${id}`, { token: agentToken, body: { status } })).status).toBe(200);
    const later = await signedIn('agent');
    await later.goto(`${stack.url}/#/tickets/${id}`);
    const resolved = later.locator('p.facts');
    await expect.poll(() => resolved.textContent(), { timeout: 10_000 }).toContain('Resolved in 1 hour 30 minutes of business time, within the 3-day target');
    expect(await resolved.textContent()).not.toContain('Resolve by');
    const customer = await signedIn('customer ACME');
    await customer.goto(`${stack.url}/#/tickets/${id}`);
    const theirs = customer.locator('p.facts');
    await expect.poll(() => theirs.textContent(), { timeout: 10_000 }).toContain('Resolved in 1 hour 30 minutes of business time');
    expect(await theirs.textContent()).not.toMatch(/target|Resolve by/);
    stack.at.set('2026-12-02T10:00:00+01:00');
  });
});
