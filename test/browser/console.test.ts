import { launchBrowser } from '../support/browser';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalUserDirectory } from '#adapters/identity/local-user-directory';
import { startTestStack, type TestStack } from '../support/test-stack';

/** The docs' screenshots are taken again only when asked (npm run screenshots); otherwise they go to a temporary folder. */
const screenshot = (name: string) => (process.env.UPDATE_SCREENSHOTS ? join('docs/images', name) : join(tmpdir(), `sla-desk-${name}`));

const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let stack: TestStack;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  // Monday 30 November 2026, 09:00 in Copenhagen: the clock is running for business.
  stack = await startTestStack({ clockStart: '2026-11-30T09:00:00+01:00' });
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Waits for the element to show, then checks its text (playwright-core has no assertions of its own). */
async function shows(locator: Locator, text?: string | RegExp): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout: 10_000 });
  if (text !== undefined) await expect.poll(() => locator.first().textContent(), { timeout: 10_000 }).toMatch(text);
}

/** A person in their own browser window, signed in as one of the local identities. */
async function signedIn(who: string): Promise<Page> {
  // The page runs under its own CSP; axe-core is evaluated through the debugging protocol, which the CSP does not govern.
  const context = await browser.newContext({ viewport: { width: 1100, height: 700 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(stack.url);
  await page.getByRole('button', { name: `Sign in as ${who}` }).click();
  return page;
}

/** axe-core on the page as it stands: no serious or critical violation. */
async function accessible(page: Page, where: string): Promise<void> {
  await page.evaluate(await axeSource);
  const violations = await page.evaluate(async () => {
    const result = await (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe.run();
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}, ${v.nodes.length})`);
  });
  expect(violations, where).toEqual([]);
}

describe('the console', () => {
  let ticketId: string;

  it('offers the local identities, and every page passes axe-core', async () => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    const response = await page.goto(stack.url);
    expect(response!.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    for (const who of ['customer ACME', 'customer GLOBEX', 'agent', 'finance', 'admin']) await shows(page.getByRole('button', { name: `Sign in as ${who}` }));
    await accessible(page, 'sign-in');
  });

  it('a customer files a ticket: the impact question gives the priority and its promise before submitting, then a running countdown', async () => {
    const page = await signedIn('customer ACME');
    await accessible(page, 'my tickets');
    await page.getByRole('link', { name: 'New ticket', exact: true }).click();
    await page.getByLabel('All users affected – risk of data loss').check();
    await shows(page.getByRole('status'), /^Highest: first response within 1 business hour$/);
    await accessible(page, 'new ticket');
    await page.getByLabel('Title').fill('Nobody can sign in');
    await page.getByLabel('Description').fill('All users, since 08:50');
    await page.getByRole('button', { name: 'File ticket' }).click();
    await shows(page.getByRole('heading', { level: 1 }), /^ACME-\d+: Nobody can sign in$/);
    ticketId = (await page.getByRole('heading', { level: 1 }).textContent())!.split(':')[0]!;
    await shows(page.getByText(/first response due Mon 30 Nov 2026 10:00/));
    await shows(page.getByText(/\d+ min left/));
    await accessible(page, 'ticket');
    await page.getByRole('link', { name: 'My tickets' }).click();
    await shows(page.locator(`tr[data-ticket="${ticketId}"]`), /highest.*open.*\d+ min left/);
  });

  it('an agent sees it at the top of the queue and answers; the customer then sees the reply and the SLA met', async () => {
    const agent = await signedIn('agent');
    await expect.poll(() => agent.locator('tbody tr').first().getAttribute('data-ticket'), { timeout: 10_000 }).toBe(ticketId);
    await accessible(agent, 'queue');
    await agent.screenshot({ path: screenshot('console-queue.png') });
    // Filtered to another customer, the ticket leaves the queue; back to all, it returns.
    await agent.getByLabel('Customer').fill('GLOBEX');
    await shows(agent.getByText('No ticket is waiting for its first response.'));
    await agent.getByLabel('Customer').fill('');
    await shows(agent.locator(`tr[data-ticket="${ticketId}"]`));
    await agent.getByRole('link', { name: ticketId }).click();
    await shows(agent.getByText('The first public reply is the first response.'));
    await agent.getByLabel('Reply').fill('We are on it: the identity provider rejected a rotated certificate.');
    await agent.getByRole('button', { name: 'Send reply' }).click();
    await shows(agent.getByText('SLA met'));
    await agent.screenshot({ path: screenshot('console-ticket.png') });

    const customer = await signedIn('customer ACME');
    await customer.getByRole('link', { name: ticketId }).click();
    await shows(customer.getByText('We are on it: the identity provider rejected a rotated certificate.'));
    await shows(customer.getByText('SLA met'));
    await shows(customer.locator('ol.audit'), /opened.*first response given/s);
  });

  it("an invalid form shows the API's own message next to the field", async () => {
    const page = await signedIn('customer GLOBEX');
    await page.getByRole('link', { name: 'New ticket', exact: true }).click();
    // No answer is chosen for the customer: filing without one asks for it, and sends nothing.
    expect(await page.getByRole('radio', { checked: true }).count()).toBe(0);
    await shows(page.getByRole('status'), /^Answer the question above to see how soon we answer\.$/);
    await page.getByLabel('Description').fill('Something');
    await page.getByRole('button', { name: 'File ticket' }).click();
    await shows(page.locator('#impact-problem'), /^Pick who is affected: it decides how soon we answer\.$/);
    await page.getByLabel('Single user affected').check();
    await page.getByRole('button', { name: 'File ticket' }).click();
    await shows(page.locator('#title-problem'), /.+/);
    await shows(page.getByRole('alert'), /^the body does not match the schema$/);
    expect((await stack.call('GET', '/tickets', { token: await stack.token('customer', 'GLOBEX') })).body.items).toEqual([]);
  });

  it('consultancy: an agent proposes, the customer approves in the console, the agent logs time, and finance sees the hours', async () => {
    expect(
      (await stack.call('PUT', '/customers/ACME', { token: await stack.token('admin'), body: { name: 'Acme A/S', contacts: [], consultancyRate: { hourly: '1250', currency: 'DKK' } } })).status,
    ).toBe(200);
    const agent = await signedIn('agent');
    await agent.getByRole('link', { name: 'Consultancy' }).click();
    await agent.getByLabel('Description of the work').fill('Lead routing for the Nordic team');
    await agent.getByLabel('Estimate (hours)').fill('4');
    await agent.getByRole('button', { name: 'Propose' }).click();
    const card = agent.locator('article[data-request]').first();
    await shows(card, /proposed/);
    const id = (await card.getAttribute('data-request'))!;
    await accessible(agent, 'consultancy (agent)');

    const customer = await signedIn('customer ACME');
    await customer.getByRole('link', { name: 'Consultancy' }).click();
    await shows(customer.locator(`article[data-request="${id}"] [data-rate]`), /^Approving it accepts 1250.00 DKK an hour, the rate now agreed: up to 4 h\.$/);
    await customer.getByRole('button', { name: `Approve ${id}` }).click();
    await shows(customer.locator(`article[data-request="${id}"]`), /approved.*Approved .* by local-customer-acme: 4 h at 1250.00 DKK\/h/s);
    await accessible(customer, 'consultancy (customer)');

    await agent.getByRole('link', { name: 'Queue' }).click();
    await agent.getByRole('link', { name: 'Consultancy' }).click();
    await agent.getByLabel(`Hours worked today on ${id}`).fill('2');
    await agent.getByLabel('Note').first().fill('Flow design');
    await agent.getByRole('button', { name: `Log time on ${id}` }).click();
    await shows(agent.locator(`article[data-request="${id}"]`), /logged 2 h · left 2 h · billable 2500.00 DKK/);
    await agent.getByLabel('Why').fill('A second region');
    await agent.getByRole('button', { name: `Ask for more hours on ${id}` }).click();
    await shows(agent.locator(`article[data-request="${id}"]`), /2 more hours asked for: A second region · proposed/);
    await customer.getByRole('link', { name: 'My tickets' }).click();
    await customer.getByRole('link', { name: 'Consultancy' }).click();
    await customer.getByRole('button', { name: 'Reject 2 more hours' }).click();
    await shows(customer.locator(`article[data-request="${id}"]`), /2 more hours asked for: A second region · rejected/);

    const finance = await signedIn('finance');
    await shows(finance.locator('tr[data-customer="ACME"]'), /ACME.*2.*1250.00 DKK.*2500.00 DKK/);
    await accessible(finance, 'consultancy (finance)');
  });

  it('two agents change one ticket at once: the second is told plainly, and nothing of the first is overwritten', async () => {
    const [first, second] = [await signedIn('agent'), await signedIn('agent')];
    // Answered already, so off the queue: both open its page by its address.
    for (const page of [first, second]) {
      await page.evaluate((id) => ((globalThis as unknown as { location: { hash: string } }).location.hash = `/tickets/${id}`), ticketId);
      await shows(page.getByRole('button', { name: 'Save changes' }));
    }
    await first.getByLabel('Status').selectOption('in_progress');
    await first.getByRole('button', { name: 'Save changes' }).click();
    await shows(first.getByText(/highest · in progress/));
    // Answered, its priority stands: the page does not offer it (the API would refuse it).
    expect(await second.getByLabel('Priority').isDisabled()).toBe(true);
    await second.getByLabel('Status').selectOption('waiting_on_customer');
    await second.getByRole('button', { name: 'Save changes' }).click();
    await shows(second.getByRole('alert'), /^Changed by someone else; reload to see their change\.$/);
    const stored = (await stack.call('GET', `/tickets/${ticketId}`, { token: await stack.token('agent') })).body;
    expect([stored.status, stored.priority]).toEqual(['in_progress', 'highest']);
  });

  it('hypercare, service windows and reports: the customer signs off, an agent announces a window, finance downloads a report', async () => {
    const admin = await stack.token('admin');
    const profile = { name: 'Acme A/S', contacts: [], goLiveAt: '2026-11-16T08:00:00+01:00', hypercareWeeks: 4, consultancyRate: { hourly: '1250', currency: 'DKK' } };
    expect((await stack.call('PUT', '/customers/ACME', { token: admin, body: profile, headers: { 'if-match': '*' } })).status).toBe(200);

    const customer = await signedIn('customer ACME');
    await customer.getByRole('link', { name: 'Hypercare' }).click();
    await shows(customer.getByText(/Status: active/));
    await accessible(customer, 'hypercare');
    await customer.getByRole('button', { name: 'Sign off: the system is stable' }).click();
    await shows(customer.locator('[data-criterion="customerSignoff"]'), /✓ .*local-customer-acme/);
    await customer.getByRole('link', { name: 'Availability' }).click();
    await shows(customer.locator('#daily-availability'));
    // Every business day of November so far (21, the 30th's first hour included), counted in the browser by the domain's own rule.
    await expect.poll(() => customer.locator('#daily-availability rect.day').count(), { timeout: 10_000 }).toBe(21);
    await accessible(customer, 'availability');

    const agent = await signedIn('agent');
    await agent.getByRole('link', { name: 'Service windows' }).click();
    await agent.getByLabel(/^Start/).fill('2026-12-03T18:00:00+01:00');
    await agent.getByLabel('End').fill('2026-12-03T20:00:00+01:00');
    await agent.getByLabel('Reason').fill('Database upgrade');
    await agent.getByRole('button', { name: 'Announce' }).click();
    await accessible(agent, 'service windows');
    const windows = (await stack.call('GET', '/service-windows?month=2026-12', { token: admin })).body.items;
    expect(windows.map((w: { reason: string }) => w.reason)).toEqual(['Database upgrade']);

    expect((await stack.call('POST', '/reports/2026-10', { token: admin })).status).toBe(202);
    const finance = await signedIn('finance');
    await finance.getByRole('link', { name: 'Reports' }).click();
    await finance.getByRole('button', { name: '2026-10' }).click();
    await shows(finance.locator('tr[data-version="1"]'));
    await accessible(finance, 'reports');
    const [download] = await Promise.all([finance.waitForEvent('download'), finance.getByRole('button', { name: 'report.html (v1)' }).click()]);
    expect(download.suggestedFilename()).toBe('2026-10-v1-report.html');
    expect(await readFile((await download.path())!, 'utf8')).toContain('Monthly report 2026-10: all customers');
  });

  it('admins add a customer, and record a hypercare extension', async () => {
    const admin = await signedIn('admin');
    await admin.getByRole('link', { name: 'Customers' }).click();
    await admin.getByRole('link', { name: 'Add a customer' }).click();
    await admin.getByLabel(/^Customer id/).fill('INITECH');
    await admin.getByLabel('Name').fill('Initech');
    await admin.getByLabel(/^Contacts/).fill('it@initech.example alerts, notices\npm@initech.example approvals');
    await admin.getByLabel(/^Go-live/).fill('2026-11-23T08:00:00+01:00');
    await admin.getByLabel('Consultancy rate per hour').fill('990.50');
    await admin.getByRole('button', { name: 'Save customer' }).click();
    await shows(admin.getByRole('status'), /^Saved\.$/);
    await accessible(admin, 'customer form');
    const stored = (await stack.call('GET', '/customers/INITECH', { token: await stack.token('admin') })).body;
    expect([stored.contacts, stored.consultancyRate, stored.hypercare.status]).toEqual([
      [
        { email: 'it@initech.example', receives: ['alerts', 'notices'] },
        { email: 'pm@initech.example', receives: ['approvals'] },
      ],
      { hourly: '990.50', currency: 'DKK' },
      'active',
    ]);
    // Adding never replaces a customer that exists.
    await admin.getByRole('link', { name: 'Customers' }).click();
    await admin.getByRole('link', { name: 'Add a customer' }).click();
    await admin.getByLabel(/^Customer id/).fill('ACME');
    await admin.getByLabel('Name').fill('Hijacked');
    await admin.getByRole('button', { name: 'Save customer' }).click();
    await shows(admin.getByRole('alert'), /^ACME already has a record: edit it from the customer list instead$/);
    expect((await stack.call('GET', '/customers/ACME', { token: await stack.token('admin') })).body.name).toBe('Acme A/S');
    await admin.getByRole('link', { name: 'Customers' }).click();
    await admin.locator('tr[data-customer="INITECH"]').getByRole('link', { name: 'active' }).click();
    await accessible(admin, 'customers → hypercare');
    await admin.getByLabel('Reason both parties agreed on').fill('Go-live moved a week');
    await admin.getByRole('button', { name: 'Record the extension' }).click();
    await shows(admin.getByText(/planned end Mon 4 Jan 2027 08:00/));
  });

  it('signs in a person onboarded on this stack by email, as themselves; an unknown address is told so', async () => {
    await new LocalUserDirectory(stack.dataDir).create('alice@acme.example', 'ACME');
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(stack.url);
    const email = page.getByLabel(/onboarded here/);
    await email.fill('nobody@acme.example');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await shows(page.getByRole('alert'), /no local account nobody@acme\.example/);
    await email.fill('alice@acme.example');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await shows(page.getByRole('heading', { name: 'My tickets' }));
    await shows(page.getByText('customer ACME'));
  });

  it('works from the keyboard: sign in, open a page and file from the form without a mouse', async () => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(stack.url);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { textContent: string } } }).document.activeElement.textContent)).toBe('Sign in as customer ACME');
    await page.keyboard.press('Enter');
    await shows(page.getByRole('heading', { name: 'My tickets' }));
    const focused = () => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { textContent: string } } }).document.activeElement.textContent);
    for (let i = 0; i < 10 && (await focused()) !== 'New ticket'; i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await shows(page.getByRole('heading', { name: 'New ticket' }));
    // Into the impact question, and the first answer chosen with the space bar.
    for (let i = 0; i < 10 && !(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { name?: string } } }).document.activeElement.name === 'impact')); i++)
      await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await page.getByLabel('Title').focus();
    await page.keyboard.type('Keyboard only');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Filed without a mouse');
    await page.getByRole('button', { name: 'File ticket' }).focus();
    await page.keyboard.press('Enter');
    await shows(page.getByRole('heading', { level: 1 }), /Keyboard only$/);
  });

  it('a breached ticket still unanswered stays on the agent’s queue, first, marked Breached with how far over it is', async () => {
    const customer = await stack.token('customer', 'GLOBEX');
    const opened = await stack.call('POST', '/tickets', { token: customer, body: { title: 'Nobody can sign in', description: 'Since the update.', category: 'other', priority: 'highest' } });
    expect(opened.status).toBe(201);
    // Highest: one business hour. Two hours later it is an hour over, and no longer running.
    await stack.at.jump(new Date(Date.parse(opened.body.firstResponseDueAt) + 60 * 60_000).toISOString());
    const agent = await signedIn('agent');
    const breached = agent.getByRole('list', { name: 'Breached, not yet answered' });
    await shows(breached.getByRole('listitem').filter({ hasText: opened.body.id }), /^Breached .*Nobody can sign in \(1 hour over, in business time\)$/);
    expect(await agent.locator(`tr[data-ticket="${opened.body.id}"]`).count()).toBe(0);
    await accessible(agent, 'queue with a breached ticket');
  });
});
