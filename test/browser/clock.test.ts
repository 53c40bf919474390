import { launchBrowser } from '../support/browser';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/test-stack';

let stack: TestStack;
let browser: Browser;

beforeAll(async () => {
  // A stack whose clock is months away from the machine's, as SLA_DESK_CLOCK sets it.
  stack = await startTestStack({ clockStart: '2026-06-04T10:00:00+02:00' });
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("the console on the stack's clock", () => {
  it("finance's first page, which works out this month as it loads, shows the stack's month and its hours, not the machine's", async () => {
    // Two hours of approved consultancy on the stack's today, 4 June 2026.
    const [admin, agent, acme] = [await stack.token('admin'), await stack.token('agent'), await stack.token('customer', 'ACME')];
    const customer = { name: 'Acme A/S', contacts: [{ email: 'pm@acme.example', receives: ['approvals'] }], consultancyRate: { hourly: '1250', currency: 'DKK' } };
    expect((await stack.call('PUT', '/customers/ACME', { token: admin, body: customer })).status).toBe(200);
    const cr = (await stack.call('POST', '/consultancy', { token: agent, body: { customerId: 'ACME', service: 'crm-flows', description: 'Flows', estimateHours: 4 } })).body.id as string;
    expect((await stack.call('POST', `/consultancy/${cr}/approve`, { token: acme })).status).toBe(200);
    expect((await stack.call('POST', `/consultancy/${cr}/time`, { token: agent, body: { hours: 2, date: '2026-06-04', note: 'Design' } })).status).toBe(201);

    const page = await (await browser.newContext()).newPage();
    await page.goto(stack.url);
    await page.getByRole('button', { name: 'Sign in as finance' }).click();
    const heading = page.getByRole('heading', { level: 1 });
    await heading.waitFor({ state: 'visible', timeout: 10_000 });
    await expect.poll(() => heading.textContent(), { timeout: 10_000 }).toMatch(/^Billable consultancy, /);
    expect(await heading.textContent()).toBe('Billable consultancy, June 2026');
    await page.locator('tr[data-customer="ACME"]').first().waitFor({ state: 'visible', timeout: 10_000 });
  });
});
