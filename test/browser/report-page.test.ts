import { launchBrowser } from '../support/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { reportPage } from '#domain/reports/report-files';
import { november } from '../support/report-fixture';
import { boxesOf, overlap, seriousViolations } from '../support/axe';

let browser: Browser;
let page: Page;
const report = november();

beforeAll(async () => {
  browser = await launchBrowser();
  page = await browser.newPage();
  // Exactly as served: the page's own policy forbids anything it does not carry itself.
  await page.route('https://report.test/', (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/html; charset=utf-8',
      headers: { 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:" },
      // As the API renders it when read: the approver by the name their record holds.
      body: reportPage(report, (subject) => (subject === 'pm@acme' ? 'Pia Madsen' : 'Customer')),
    }),
  );
  const failed: string[] = [];
  page.on('requestfailed', (request) => failed.push(request.url()));
  await page.goto('https://report.test/');
  expect(failed).toEqual([]);
}, 60_000);
afterAll(() => browser?.close());

describe('report.html in a real browser', () => {
  it('draws both charts: a line per target against the target, and met and breached bars per priority', async () => {
    for (const id of ['availability-chart', 'sla-chart']) {
      const box = await page.locator(`#${id}`).boundingBox();
      expect(box && box.width > 300 && box.height > 100, id).toBe(true);
    }
    const line = page.locator('#availability-chart polyline.series');
    expect(await line.count()).toBe(report.availability.targets.length);
    const points = (await line.first().getAttribute('points'))!.trim().split(/\s+/);
    expect(points).toHaveLength(report.availability.targets[0]!.daily.filter((d) => d.availabilityPercent !== null).length);
    expect((await line.first().boundingBox())!.width).toBeGreaterThan(300);
    // The 10th (93.75 %) lies lowest: the largest y of the line.
    const ys = points.map((p) => Number(p.split(',')[1]));
    const tenth = report.availability.targets[0]!.daily.findIndex((d) => d.date === '2026-11-10');
    expect(Math.max(...ys)).toBe(ys[tenth]);

    const bars = await page.locator('#sla-chart rect.met, #sla-chart rect.breached').evaluateAll((rects) =>
      rects.map((r) => ({
        kind: r.getAttribute('class'),
        priority: r.getAttribute('data-priority'),
        value: Number(r.getAttribute('data-value')),
        height: (r as unknown as { getBBox(): { height: number } }).getBBox().height,
      })),
    );
    expect(bars).toHaveLength(10);
    for (const row of report.sla.byPriority) {
      expect(bars.find((b) => b.kind === 'met' && b.priority === row.priority)!.value).toBe(row.met);
      expect(bars.find((b) => b.kind === 'breached' && b.priority === row.priority)!.value).toBe(row.breached);
    }
    // Heights follow the counts: one met High bar as tall as one breached Highest bar, an empty Low bar flat.
    const height = (kind: string, priority: string) => bars.find((b) => b.kind === kind && b.priority === priority)!.height;
    expect(height('met', 'high')).toBeGreaterThan(0);
    expect(height('met', 'high')).toBe(height('breached', 'highest'));
    expect(height('met', 'low')).toBe(0);
  });

  it('shows the figures of report.json', async () => {
    const row = async (selector: string) =>
      page
        .locator(selector)
        .locator('td')
        .evaluateAll((cells) => cells.map((c) => c.getAttribute('data-value')));
    const api = report.availability.targets[0]!;
    expect(await row('tr[data-target="api"]')).toEqual([api.eligibleSlots, api.upSlots, api.downSlots, api.missingSlots, api.excludedSlots, api.availabilityPercent, api.targetMet].map(String));
    expect(await page.locator('tr[data-target="api"] td').nth(5).textContent()).toBe(`${api.availabilityPercent!.toFixed(3)} %`);
    const all = report.sla.total;
    const slaAll = page.locator('table', { hasText: 'First responses of the tickets opened' }).locator('tbody tr').first();
    expect(await slaAll.locator('td').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-value')))).toEqual(
      [all.opened, all.met, all.breached, all.running, all.percentMet, all.medianFirstResponseMinutes, all.p90FirstResponseMinutes].map((v) => (v === null ? '' : String(v))),
    );
    const money = page.locator('table', { hasText: 'Billable consultancy' }).locator('tbody tr');
    expect(await money.count()).toBe(report.consultancy.totals.length);
    expect(await money.first().locator('td').last().getAttribute('data-value')).toBe(report.consultancy.totals[0]!.amount);
    expect(await money.first().locator('td').last().textContent()).toBe('2,188.38 DKK');
    const approval = page.locator('table', { hasText: 'The approvals behind it' }).locator('tbody tr').first();
    expect(await approval.locator('td').nth(3).textContent()).toBe('Pia Madsen');
    expect(await approval.locator('td').last().textContent()).toBe('1,250.50 DKK an hour');
    expect(await page.locator('table', { hasText: 'Breached first responses' }).locator('tbody tr').count()).toBe(report.sla.breaches.length);
    expect(await page.title()).toBe('sla-desk report, November 2026 (all customers)');
  });

  it("the availability chart's axis reads: labels apart, a floor that is no negative percentage, the target labelled, the days below, each value on focus", async () => {
    const labels = await boxesOf(page, '#availability-chart .tick-label');
    expect(labels.map((l) => l.text)).toEqual(['100%', '98%', '96%', '94%', '92%']);
    for (let i = 1; i < labels.length; i++) expect(overlap(labels[i - 1]!, labels[i]!), `${labels[i - 1]!.text} and ${labels[i]!.text}`).toBe(false);
    expect(Number.parseFloat(labels.at(-1)!.text)).toBeGreaterThanOrEqual(0);
    const target = (await boxesOf(page, '#availability-chart .target-label'))[0]!;
    expect(target.text).toBe('99.5% target');
    for (const label of labels) expect(overlap(label, target), label.text).toBe(false);
    const days = await boxesOf(page, '#availability-chart .day-label');
    expect(days.map((d) => d.text).slice(0, 3)).toEqual(['2', '4', '6']);
    for (let i = 1; i < days.length; i++) expect(overlap(days[i - 1]!, days[i]!)).toBe(false);
    // The 10th: its value hidden until the point has focus, then shown; the keyboard reaches it.
    const tenth = page.locator('#availability-chart .point', { has: page.locator('title', { hasText: 'Tue 10 Nov 2026' }) });
    expect(await tenth.getAttribute('aria-label')).toBe('api, Tue 10 Nov 2026: 93.75%');
    expect(await tenth.locator('.value').isVisible()).toBe(false);
    await tenth.focus();
    expect(await tenth.locator('.value').isVisible()).toBe(true);
    expect(await tenth.locator('.value').textContent()).toBe('93.75%');
  });

  it("passes axe-core, and shows no ISO time, key, minor-unit or ungrouped amount, or a person's id", async () => {
    expect(await seriousViolations(page)).toEqual([]);
    const text = await page.locator('body').innerText();
    expect(text).not.toMatch(/\d{4}-\d\d-\d\dT|\d\d:\d\d:\d\d/);
    expect(text).not.toMatch(/\b[a-z]+[A-Z][A-Za-z]*\b|\b[a-z]+_[a-z_]+\b|\b\d{5,}\b/);
    expect(text).not.toMatch(/\b\d{4,}\.\d\d\b/);
    // People by name: no local account id, Cognito subject or email address (or an id that looks like one).
    expect(text).not.toMatch(/\blocal-[a-z]|\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b|[\w.+-]+@[\w-]+/i);
    expect(text).toContain('143 hours');
  });
});
