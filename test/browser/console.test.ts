import { launchBrowser } from '../support/browser';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalUserDirectory } from '#adapters/identity/local-user-directory';
import { seriousViolations } from '../support/axe';
import { startTestStack, type TestStack } from '../support/test-stack';

/** The docs' screenshots are taken again only when asked (npm run screenshots); otherwise they go to a temporary folder. */
const screenshot = (name: string) => (process.env.UPDATE_SCREENSHOTS ? join('docs/images', name) : join(tmpdir(), `sla-desk-${name}`));

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
  expect(await seriousViolations(page), where).toEqual([]);
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
    await page.getByLabel('Category').selectOption({ label: 'Synchronization' });
    await page.getByRole('button', { name: 'File ticket' }).click();
    await shows(page.getByRole('heading', { level: 1 }), /^ACME-\d+: Nobody can sign in$/);
    ticketId = (await page.getByRole('heading', { level: 1 }).textContent())!.split(':')[0]!;
    await shows(page.getByText(/first response due Mon 30 Nov 2026, 10:00/));
    await shows(page.getByText(/\d+ (hours?|minutes?) left/));
    await accessible(page, 'ticket');
    await page.getByRole('link', { name: 'My tickets' }).click();
    await shows(page.locator(`tr[data-ticket="${ticketId}"]`), /Highest.*Open.*\d+ (hours?|minutes?) left/);
  });

  it('an agent sees it at the top of the queue and answers; the customer then sees the reply and the SLA met', async () => {
    const agent = await signedIn('agent');
    await expect.poll(() => agent.locator('tbody tr').first().getAttribute('data-ticket'), { timeout: 10_000 }).toBe(ticketId);
    await accessible(agent, 'queue');
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
    await agent.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
    await agent.screenshot({ path: screenshot('console-ticket.png'), fullPage: true });

    const customer = await signedIn('customer ACME');
    await customer.getByRole('link', { name: ticketId }).click();
    await shows(customer.getByText('We are on it: the identity provider rejected a rotated certificate.'));
    await shows(customer.getByText('SLA met'));
    // People by their names, never by their ids.
    await shows(customer.getByRole('article', { name: 'Reply from Ada Agent' }), /We are on it/);
    await shows(customer.locator('ol.audit'), /Opened by Alice at ACME.*First response given by Ada Agent/s);
    expect(await customer.locator('main').textContent()).not.toMatch(/local-(agent|customer)/);
  });

  it('an invalid form says what to fix next to each field, in plain words, and sends nothing', async () => {
    const page = await signedIn('customer GLOBEX');
    await page.getByRole('link', { name: 'New ticket', exact: true }).click();
    // No answer is chosen for the customer: filing without one asks for it, and sends nothing.
    expect(await page.getByRole('radio', { checked: true }).count()).toBe(0);
    await shows(page.getByRole('status'), /^Answer the question above to see how soon we answer\.$/);
    await page.getByRole('button', { name: 'File ticket' }).click();
    await shows(page.locator('#impact-problem'), /^Pick who is affected: it decides how soon we answer\.$/);
    await shows(page.locator('#title-problem'), /^Give the ticket a title$/);
    await shows(page.locator('#description-problem'), /^Describe what happens, and since when$/);
    await shows(page.locator('#category-problem'), /^Choose what the ticket is about$/);
    await page.getByLabel('Category').selectOption({ label: 'Synchronization' });
    await page.getByLabel('Single user affected').check();
    await page.getByLabel('Description').fill('Something');
    // What only the API knows is said in its own words, next to the field: a title too long.
    await page.getByLabel('Title').fill('x'.repeat(201));
    await page.getByRole('button', { name: 'File ticket' }).click();
    const token = await stack.token('customer', 'GLOBEX');
    const refused = await stack.call('POST', '/tickets', { token, body: { title: 'x'.repeat(201), description: 'Something', category: 'synchronization', impact: 'single-user' } });
    expect(refused.status).toBe(400);
    await shows(page.locator('#title-problem'), refused.body.errors[0].message);
    await shows(page.getByRole('alert'), refused.body.detail);
    for (const text of [await page.locator('#title-problem').textContent(), await page.getByRole('alert').textContent()])
      expect(text).not.toMatch(/schema|expected|invalid input|ISO|\b(GET|POST|PUT|PATCH) \//i);
    await accessible(page, 'new ticket with problems');
    expect((await stack.call('GET', '/tickets', { token })).body.items).toEqual([]);
  });

  it('consultancy: an agent proposes, the customer approves what it will cost, the agent logs time, and finance sees the hours in any month', async () => {
    expect(
      (await stack.call('PUT', '/customers/ACME', { token: await stack.token('admin'), body: { name: 'Acme A/S', contacts: [], consultancyRate: { hourly: '1250', currency: 'DKK' } } })).status,
    ).toBe(200);
    const agent = await signedIn('agent');
    await agent.getByRole('link', { name: 'Consultancy' }).click();
    // Nothing is chosen for the agent: proposing without answers says what is missing.
    expect([await agent.getByLabel('Customer').inputValue(), await agent.getByLabel('Service').inputValue(), await agent.getByLabel('Estimate (hours)').inputValue()]).toEqual(['', '', '']);
    await agent.getByRole('button', { name: 'Propose' }).click();
    await shows(agent.locator('#customerId-problem'), /^Choose the customer the work is for$/);
    await agent.getByLabel('Customer').selectOption('ACME');
    await agent.getByLabel('Service').selectOption({ label: 'Advanced configuration of CRM flows' });
    await agent.getByLabel('Description of the work').fill('Lead routing for the Nordic team');
    await agent.getByLabel('Estimate (hours)').fill('4');
    await agent.getByRole('button', { name: 'Propose' }).click();
    const card = agent.locator('article[data-request]').first();
    await shows(card, /Waiting for approval/);
    const id = (await card.getAttribute('data-request'))!;
    await accessible(agent, 'consultancy (agent)');

    const customer = await signedIn('customer ACME');
    await customer.getByRole('link', { name: 'Consultancy' }).click();
    await shows(
      customer.locator(`article[data-request="${id}"] [data-rate]`),
      /^Approving it accepts 1,250.00 DKK an hour, the rate now agreed: up to 4 hours at 1,250.00 DKK, 5,000.00 DKK in all\.$/,
    );
    // Paid work is approved only after the customer has read what it costs; cancelling the question changes nothing.
    const asked: string[] = [];
    customer.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await customer.getByRole('button', { name: `Approve ${id}` }).click();
    await expect.poll(() => asked).toEqual(['Approve 4 hours at 1,250.00 DKK, 5,000.00 DKK in all? Work starts, and is billed, only after this.']);
    expect((await stack.call('GET', `/consultancy/${id}`, { token: await stack.token('agent') })).body.status).toBe('proposed');
    customer.once('dialog', (dialog) => void dialog.accept());
    await customer.getByRole('button', { name: `Approve ${id}` }).click();
    await shows(customer.locator(`article[data-request="${id}"]`), /Approved .* by Alice at ACME: 4 hours at 1,250.00 DKK an hour/s);
    await shows(customer.locator(`article[data-request="${id}"]`), /proposed .* by Ada Agent/);
    await accessible(customer, 'consultancy (customer)');

    await agent.getByRole('link', { name: 'Queue' }).click();
    await agent.getByRole('link', { name: 'Consultancy' }).click();
    await agent.getByLabel(`Hours worked today on ${id}`).fill('2');
    await agent.getByLabel('Note').first().fill('Flow design');
    const logged: string[] = [];
    agent.once('dialog', (dialog) => {
      logged.push(dialog.message());
      void dialog.accept();
    });
    await agent.getByRole('button', { name: `Log time on ${id}` }).click();
    await expect.poll(() => logged).toEqual([`Log 2 hours on ${id} for today: 2 hours at 1,250.00 DKK, 2,500.00 DKK in all, billed to ACME? Logged time cannot be taken back.`]);
    await shows(agent.locator(`article[data-request="${id}"]`), /logged 2 hours · 2 hours left · billable 2,500.00 DKK/);
    expect(await agent.getByLabel(`Hours worked today on ${id}`).inputValue()).toBe('');
    await agent.getByLabel('More hours', { exact: true }).fill('2');
    await agent.getByLabel('Why').fill('A second region');
    await agent.getByRole('button', { name: `Ask for more hours on ${id}` }).click();
    await shows(agent.locator(`article[data-request="${id}"]`), /2 more hours asked for: A second region · Waiting for approval/);
    await customer.getByRole('link', { name: 'My tickets' }).click();
    await customer.getByRole('link', { name: 'Consultancy' }).click();
    customer.once('dialog', (dialog) => void dialog.accept());
    await customer.getByRole('button', { name: 'Reject 2 more hours' }).click();
    await shows(customer.locator(`article[data-request="${id}"]`), /2 more hours asked for: A second region · Rejected/);
    // Completing is for good, and says what is billed.
    const completed: string[] = [];
    agent.once('dialog', (dialog) => {
      completed.push(dialog.message());
      void dialog.accept();
    });
    await agent.getByRole('button', { name: `Complete ${id}` }).click();
    await expect.poll(() => completed).toEqual([`Complete ${id}? No more time can be logged on it; 2 hours are billed, 2,500.00 DKK in all.`]);
    await shows(agent.locator(`article[data-request="${id}"]`), /Completed/);

    const finance = await signedIn('finance');
    await shows(finance.getByRole('heading', { level: 1 }), /^Billable consultancy, November 2026$/);
    await shows(finance.locator('tr[data-customer="ACME"]'), /Acme A\/S.*2.*1,250.00 DKK.*2,500.00 DKK/);
    await accessible(finance, 'consultancy (finance)');
    await finance.getByRole('button', { name: 'Previous month' }).click();
    await shows(finance.getByText('Nothing billable in October 2026.'));
    expect(await finance.getByRole('button', { name: 'Next month' }).isDisabled()).toBe(false);
    await finance.getByLabel('Month', { exact: true }).fill('2026-11');
    await shows(finance.locator('tr[data-customer="ACME"]'), /2,500.00 DKK/);
    expect(await finance.getByRole('button', { name: 'Next month' }).isDisabled()).toBe(true);
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
    await shows(first.getByText(/Highest · In progress/));
    // Answered, its priority stands: the page does not offer it (the API would refuse it).
    expect(await second.getByLabel('Priority').isDisabled()).toBe(true);
    await second.getByLabel('Status').selectOption('waiting_on_customer');
    await second.getByRole('button', { name: 'Save changes' }).click();
    await shows(second.getByRole('alert'), /^Changed by someone else; reload to see their change\.$/);
    const stored = (await stack.call('GET', `/tickets/${ticketId}`, { token: await stack.token('agent') })).body;
    expect([stored.status, stored.priority]).toEqual(['in_progress', 'highest']);
  });

  it('hypercare, service windows and reports: the customer signs off, an agent announces a window in Copenhagen time, finance makes a new version and downloads it', async () => {
    const admin = await stack.token('admin');
    const profile = { name: 'Acme A/S', contacts: [], goLiveAt: '2026-11-16T08:00:00+01:00', hypercareWeeks: 4, consultancyRate: { hourly: '1250', currency: 'DKK' } };
    expect((await stack.call('PUT', '/customers/ACME', { token: admin, body: profile, headers: { 'if-match': '*' } })).status).toBe(200);

    const customer = await signedIn('customer ACME');
    await customer.getByRole('link', { name: 'Hypercare' }).click();
    await shows(customer.getByRole('heading', { level: 1 }), /^Hypercare: Acme A\/S \(ACME\)$/);
    await shows(customer.getByText(/Status: Active/));
    await accessible(customer, 'hypercare');
    customer.once('dialog', (dialog) => void dialog.accept());
    await customer.getByRole('button', { name: 'Sign off: the system is stable' }).click();
    await shows(customer.locator('[data-criterion="customerSignoff"]'), /✓ The customer's sign-off — .*, Alice at ACME$/);
    await customer.getByRole('link', { name: 'Availability' }).click();
    await shows(customer.locator('#daily-availability'));
    // Every business day of November so far (21, the 30th's first hour included), counted in the browser by the domain's own rule.
    await expect.poll(() => customer.locator('#daily-availability .day').count(), { timeout: 10_000 }).toBe(21);
    await accessible(customer, 'availability');

    const agent = await signedIn('agent');
    await agent.getByRole('link', { name: 'Service windows' }).click();
    // Typed as a person would, in Copenhagen time; the API receives the instant with its offset.
    await agent.getByLabel(/^Start/).fill('2026-12-03T18:00');
    await agent.getByLabel(/^End/).fill('2026-12-03T20:00');
    await agent.getByLabel('Reason').fill('Database upgrade');
    const asked: string[] = [];
    agent.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.accept();
    });
    await agent.getByRole('button', { name: 'Announce' }).click();
    await expect.poll(() => asked).toEqual(['Announce a service window from Thu 3 Dec 2026, 18:00 to Thu 3 Dec 2026, 20:00? Every customer is emailed now.']);
    await shows(agent.getByRole('heading', { level: 1 }), /^Service windows, December 2026$/);
    await shows(agent.locator('li[data-window]'), /^Thu 3 Dec 2026, 18:00 – Thu 3 Dec 2026, 20:00: Database upgrade/);
    await accessible(agent, 'service windows');
    const windows = (await stack.call('GET', '/service-windows?month=2026-12', { token: admin })).body.items;
    expect(windows.map((w: { reason: string; start: string }) => [w.reason, Date.parse(w.start)])).toEqual([['Database upgrade', Date.parse('2026-12-03T17:00:00Z')]]);

    expect((await stack.call('POST', '/reports/2026-10', { token: admin })).status).toBe(202);
    const finance = await signedIn('finance');
    await finance.getByRole('link', { name: 'Reports' }).click();
    await finance.getByRole('button', { name: 'October 2026', exact: true }).click();
    await shows(finance.locator('tr[data-version="1"]'));
    await accessible(finance, 'reports');
    // A new version needs its reason; it joins the list without replacing the first.
    await finance.getByLabel('Month', { exact: true }).fill('2026-10');
    await finance.getByRole('button', { name: 'Make a new version of October 2026' }).click();
    await shows(finance.getByRole('alert'), /^Say why a new version is needed/);
    await finance.getByLabel('Why a new version is needed').fill('A late service window');
    await finance.getByRole('button', { name: 'Make a new version of October 2026' }).click();
    await shows(finance.locator('tr[data-version="2"]'), /by Fiona Finance.*A late service window/);
    await shows(finance.locator('tr[data-version="1"]'));
    const [download] = await Promise.all([finance.waitForEvent('download'), finance.getByRole('button', { name: 'report.html (v1)' }).click()]);
    expect(download.suggestedFilename()).toBe('2026-10-v1-report.html');
    expect(await readFile((await download.path())!, 'utf8')).toContain('all customers');
  });

  it('admins add a customer with contact rows and a go-live in Copenhagen time, see the saved record, and record a hypercare extension', async () => {
    const admin = await signedIn('admin');
    await admin.getByRole('link', { name: 'Customers' }).click();
    await admin.getByRole('link', { name: 'Add a customer' }).click();
    await admin.getByLabel(/^Customer id/).fill('INITECH');
    await admin.getByLabel('Customer name').fill('Initech');
    await admin.getByRole('button', { name: 'Add a contact' }).click();
    await admin.getByRole('button', { name: 'Add a contact' }).click();
    await admin.getByRole('button', { name: 'Add a contact' }).click();
    const contact = (n: number) => admin.getByRole('group', { name: `Contact ${n}` });
    await contact(1).getByLabel('Email').fill('it@initech.example');
    await contact(1).getByLabel('Name').fill('Ian Tech');
    await contact(1).getByLabel('SLA alerts').check();
    await contact(1).getByLabel('Service window notices').check();
    await contact(2).getByLabel('Email').fill('nobody@initech.example');
    await contact(3).getByLabel('Email').fill('pm@initech.example');
    await contact(3).getByLabel('Consultancy approvals').check();
    // A contact who receives nothing is refused before sending; removed, the rest is saved.
    await admin.getByRole('button', { name: 'Save customer' }).click();
    await shows(admin.locator('#contacts-problem'), /^Give each contact an email address and at least one thing to receive$/);
    await contact(2).getByRole('button', { name: 'Remove contact 2' }).click();
    await admin.getByLabel(/^Go-live/).fill('2026-11-23T08:00');
    await admin.getByLabel('Consultancy rate per hour').fill('990.50');
    await accessible(admin, 'customer form');
    await admin.getByRole('button', { name: 'Save customer' }).click();
    // Saved, the page is the customer's own: its record as stored, and saving again edits it.
    await shows(admin.getByRole('status'), /^Saved\.$/);
    await shows(admin.getByRole('heading', { level: 1 }), /^Initech \(INITECH\)$/);
    await shows(admin.getByRole('definition').filter({ hasText: 'Ian Tech' }), /^Ian Tech <it@initech.example>: SLA alerts, Service window notices/);
    await shows(admin.getByText('Mon 23 Nov 2026, 08:00'));
    await shows(admin.getByText('990.50 DKK an hour'));
    const stored = (await stack.call('GET', '/customers/INITECH', { token: await stack.token('admin') })).body;
    expect([stored.contacts, Date.parse(stored.goLiveAt), stored.consultancyRate, stored.hypercare.status]).toEqual([
      [
        { email: 'it@initech.example', name: 'Ian Tech', receives: ['alerts', 'notices'] },
        { email: 'pm@initech.example', receives: ['approvals'] },
      ],
      Date.parse('2026-11-23T07:00:00Z'),
      { hourly: '990.50', currency: 'DKK' },
      'active',
    ]);
    await accessible(admin, 'a saved customer');
    await admin.getByLabel('Customer name').fill('Initech A/S');
    await admin.getByRole('button', { name: 'Save customer' }).click();
    await shows(admin.getByRole('heading', { level: 1 }), /^Initech A\/S \(INITECH\)$/);
    // Each customer's page starts from its own record: back to "Add a customer" it is empty, and another customer's shows theirs.
    await admin.goBack();
    await shows(admin.getByRole('heading', { level: 1 }), /^Add a customer$/);
    expect([await admin.getByLabel(/^Customer id/).inputValue(), await admin.getByLabel('Customer name').inputValue(), await admin.getByLabel('Email').count()]).toEqual(['', '', 0]);
    await admin.evaluate(() => ((globalThis as unknown as { location: { hash: string } }).location.hash = '/customers/ACME'));
    await shows(admin.getByRole('heading', { level: 1 }), /^Acme A\/S \(ACME\)$/);
    expect(await admin.getByLabel('Customer name').inputValue()).toBe('Acme A/S');
    // Adding never replaces a customer that exists.
    await admin.getByRole('link', { name: 'Customers' }).click();
    await admin.getByRole('link', { name: 'Add a customer' }).click();
    await admin.getByLabel(/^Customer id/).fill('ACME');
    await admin.getByLabel('Customer name').fill('Hijacked');
    await admin.getByRole('button', { name: 'Save customer' }).click();
    await shows(admin.getByRole('alert'), /^ACME already has a record: edit it from the customer list instead$/);
    expect((await stack.call('GET', '/customers/ACME', { token: await stack.token('admin') })).body.name).toBe('Acme A/S');
    admin.once('dialog', (dialog) => void dialog.accept());
    await admin.getByRole('link', { name: 'Customers' }).click();
    await accessible(admin, 'customers');
    await admin.locator('tr[data-customer="INITECH"]').getByRole('link', { name: 'Active' }).click();
    await accessible(admin, 'customers → hypercare');
    await shows(admin.getByRole('button', { name: 'Sign off for the provider: our hypercare work is done' }));
    await admin.getByLabel('Extension (weeks)').fill('2');
    await admin.getByLabel('Reason both parties agreed on').fill('Go-live moved a week');
    const extending: string[] = [];
    admin.once('dialog', (dialog) => {
      extending.push(dialog.message());
      void dialog.accept();
    });
    await admin.getByRole('button', { name: 'Record the extension' }).click();
    await expect.poll(() => extending).toEqual(["Extend INITECH's hypercare by 2 weeks? The planned end moves, and the extension is kept in its record."]);
    await shows(admin.getByText(/planned end Mon 4 Jan 2027, 08:00/));
    await shows(admin.getByRole('list', { name: 'Extensions' }), /^2 weeks more, recorded .* by Alan Admin: Go-live moved a week$/);
    expect([await admin.getByLabel('Extension (weeks)').inputValue(), await admin.getByLabel('Reason both parties agreed on').inputValue()]).toEqual(['', '']);
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
    // The category, chosen with the arrow keys.
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
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
    // A ticket still running, below the breached ones.
    const acme = await stack.token('customer', 'ACME');
    expect(
      (await stack.call('POST', '/tickets', { token: acme, body: { title: 'Lead sync slower than usual', description: 'Since 10:00.', category: 'synchronization', priority: 'high' } })).status,
    ).toBe(201);
    const agent = await signedIn('agent');
    const breached = agent.getByRole('list', { name: 'Breached, not yet answered' });
    await shows(breached.getByRole('listitem').filter({ hasText: opened.body.id }), /^Breached .*Nobody can sign in \(1 hour over, in business time\)$/);
    expect(await agent.locator(`tr[data-ticket="${opened.body.id}"]`).count()).toBe(0);
    await accessible(agent, 'queue with a breached ticket');
    await agent.screenshot({ path: screenshot('console-queue.png'), fullPage: true });
  });
  it('All tickets: every ticket, filtered by customer, priority, status, first response and title, a page at a time', async () => {
    const token = await stack.token('customer', 'HOOLI');
    const titles = Array.from({ length: 27 }, (_, i) => (i % 9 === 0 ? `Lead sync stalls ${i}` : `Question ${i}`));
    for (const title of titles) expect((await stack.call('POST', '/tickets', { token, body: { title, description: 'Asked in the console.', category: 'other', priority: 'low' } })).status).toBe(201);
    const agent = await signedIn('agent');
    await agent.getByRole('link', { name: 'All tickets' }).click();
    await agent.getByLabel('Customer').fill('HOOLI');
    // 27 of HOOLI's: a page of 25, then the last 2.
    await expect.poll(() => agent.locator('tbody tr').count(), { timeout: 10_000 }).toBe(25);
    await shows(agent.getByText('Tickets 1–25'));
    await agent.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => agent.locator('tbody tr').count(), { timeout: 10_000 }).toBe(2);
    await shows(agent.getByText('Tickets 26–27'));
    expect(await agent.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    await agent.getByRole('button', { name: 'Previous page' }).click();
    await expect.poll(() => agent.locator('tbody tr').count(), { timeout: 10_000 }).toBe(25);
    // The title, in any case: the three that mention a sync.
    await agent.getByLabel('Title contains').fill('SYNC');
    await agent.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => agent.locator('tbody tr').count(), { timeout: 10_000 }).toBe(3);
    await shows(agent.locator('tbody tr').first(), /HOOLI.*Lead sync stalls.*Low.*Open/);
    await agent.getByLabel('Priority').selectOption({ label: 'Highest' });
    await shows(agent.getByText('No ticket matches these filters.'));
    await agent.getByLabel('Priority').selectOption({ label: 'Low' });
    await agent.getByLabel('Status').selectOption({ label: 'Waiting on customer' });
    await shows(agent.getByText('No ticket matches these filters.'));
    await agent.getByLabel('Status').selectOption({ label: 'Open' });
    await agent.getByLabel('First response').selectOption({ label: 'Running' });
    await expect.poll(() => agent.locator('tbody tr').count(), { timeout: 10_000 }).toBe(3);
    await accessible(agent, 'all tickets');
    // The filters live in the address: back from a ticket, the list is as it was left.
    await agent.locator('tbody tr').first().getByRole('link').click();
    await shows(agent.getByRole('heading', { level: 1 }), /Lead sync stalls/);
    await agent.goBack();
    await expect.poll(() => agent.locator('tbody tr').count(), { timeout: 10_000 }).toBe(3);
    expect(await agent.getByLabel('Title contains').inputValue()).toBe('SYNC');
  });

  it('a draft reply stays with its ticket, never shows on another, and leaving unsaved changes asks first', async () => {
    const token = await stack.token('customer', 'GLOBEX');
    const [one, two] = await Promise.all(
      ['Export fails', 'Import fails'].map(
        async (title) => (await stack.call('POST', '/tickets', { token, body: { title, description: 'Since Monday.', category: 'other', priority: 'medium' } })).body.id as string,
      ),
    );
    const agent = await signedIn('agent');
    const open = async (id: string) => {
      await agent.evaluate((target) => ((globalThis as unknown as { location: { hash: string } }).location.hash = `/tickets/${target}`), id);
      await shows(agent.getByRole('heading', { level: 1 }), new RegExp(`^${id}:`));
    };
    await open(one!);
    await agent.getByLabel('Reply').fill('Half-written answer for the export');
    await open(two!);
    expect(await agent.getByLabel('Reply').inputValue()).toBe('');
    expect(await agent.getByLabel('Status').inputValue()).toBe('open');
    await open(one!);
    expect(await agent.getByLabel('Reply').inputValue()).toBe('Half-written answer for the export');
    // A changed status not yet saved: leaving asks, and staying keeps the page and the change.
    await agent.getByLabel('Status').selectOption({ label: 'In progress' });
    const asked: string[] = [];
    agent.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await agent.getByRole('link', { name: 'Queue' }).click();
    await expect.poll(() => asked).toEqual(['Leave this page? Your changes have not been saved.']);
    await shows(agent.getByRole('heading', { level: 1 }), new RegExp(`^${one}:`));
    expect(await agent.getByLabel('Status').inputValue()).toBe('in_progress');
    agent.once('dialog', (dialog) => void dialog.accept());
    await agent.getByRole('link', { name: 'Queue' }).click();
    await shows(agent.getByRole('heading', { level: 1 }), /^Queue/);
    expect((await stack.call('GET', `/tickets/${one}`, { token })).body.status).toBe('open');
  });

  it('the status menu offers only the moves the API allows, by their names', async () => {
    const token = await stack.token('customer', 'GLOBEX');
    const id = (await stack.call('POST', '/tickets', { token, body: { title: 'Resolved soon', description: 'd', category: 'other', priority: 'low' } })).body.id as string;
    const agentToken = await stack.token('agent');
    expect((await stack.call('PATCH', `/tickets/${id}`, { token: agentToken, body: { status: 'resolved' } })).status).toBe(200);
    const agent = await signedIn('agent');
    await agent.evaluate((target) => ((globalThis as unknown as { location: { hash: string } }).location.hash = `/tickets/${target}`), id);
    await shows(agent.getByLabel('Status'));
    expect(await agent.getByLabel('Status').locator('option').allTextContents()).toEqual(['Resolved', 'In progress', 'Closed']);
    await accessible(agent, 'a resolved ticket');
    // Closing is for good: it asks, and saying no changes nothing.
    await agent.getByLabel('Status').selectOption({ label: 'Closed' });
    const asked: string[] = [];
    agent.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await agent.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => asked).toEqual([`Close ${id}? A closed ticket cannot be reopened; the customer would file a new one.`]);
    expect((await stack.call('GET', `/tickets/${id}`, { token: agentToken })).body.status).toBe('resolved');
    agent.once('dialog', (dialog) => void dialog.accept());
    await agent.getByRole('button', { name: 'Save changes' }).click();
    await shows(agent.getByText(/· Closed ·/));
  });

  it('ownership: an agent assigns a ticket from its page, finds it under Mine and not under Unassigned, and the customer sees who owns it', async () => {
    const customerToken = await stack.token('customer', 'GLOBEX');
    const id = (await stack.call('POST', '/tickets', { token: customerToken, body: { title: 'Owner wanted', description: 'Who looks at this?', category: 'other', priority: 'medium' } })).body
      .id as string;
    const agent = await signedIn('agent');
    await agent.getByRole('link', { name: 'All tickets' }).click();
    // The stack's clock stands still, so the many tickets opened before this one share its time: narrow to its customer.
    await agent.getByLabel('Customer').fill('GLOBEX');
    await agent.getByLabel('Owner').selectOption({ label: 'Unassigned' });
    await shows(agent.locator(`tr[data-ticket="${id}"]`), /Unassigned/);
    await agent.getByRole('link', { name: id }).click();
    await shows(agent.getByText(/· Unassigned ·/));
    await agent.getByLabel('Owner').selectOption({ label: 'Ada Agent' });
    await agent.getByRole('button', { name: 'Save changes' }).click();
    await shows(agent.getByText(/· Owner: Ada Agent ·/));
    await shows(agent.locator('ol.audit'), /Ada Agent/);
    await accessible(agent, 'an assigned ticket');
    await agent.getByRole('link', { name: 'Mine' }).click();
    await shows(agent.getByRole('heading', { level: 1 }), /^My tickets$/);
    await shows(agent.locator(`tr[data-ticket="${id}"]`), /Owner wanted.*Ada Agent/);
    const other = (await stack.call('POST', '/tickets', { token: customerToken, body: { title: 'Still unowned', description: 'd', category: 'other', priority: 'low' } })).body.id as string;
    await agent.getByLabel('Customer').fill('GLOBEX');
    await agent.getByLabel('Owner').selectOption({ label: 'Unassigned' });
    await shows(agent.getByRole('heading', { level: 1 }), /^Unassigned tickets$/);
    await shows(agent.locator(`tr[data-ticket="${other}"]`));
    expect(await agent.locator(`tr[data-ticket="${id}"]`).count()).toBe(0);
    const customer = await signedIn('customer GLOBEX');
    await shows(customer.locator(`tr[data-ticket="${id}"]`), /Owner wanted.*Ada Agent/);
    expect(await customer.locator('main').textContent()).not.toMatch(/@/);
  });
});
