import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLOT_MS } from '#domain/availability/availability';
import { danishCalendar } from '#domain/calendar/danish-calendar';
import { parseInstant } from '#domain/instant';
import { boxesOf, overlap, seriousViolations } from '../support/axe';
import { launchBrowser } from '../support/browser';
import { startTestStack, type TestStack } from '../support/test-stack';

let stack: TestStack;
let browser: Browser;
let page: Page;

/** Every operating slot of November up to the 30th, 09:00, measured: up, but for three down slots on the 10th (96.875%). */
async function measureNovember(): Promise<void> {
  const calendar = danishCalendar();
  const [from, to] = [parseInstant('2026-11-01T00:00:00+01:00'), parseInstant('2026-11-30T09:00:00+01:00')];
  const down = new Set(['2026-11-10T10:00', '2026-11-10T10:05', '2026-11-10T10:10'].map((t) => parseInstant(`${t}:00+01:00`)));
  const samples = [];
  for (let at = from; at < to; at += SLOT_MS) {
    if (calendar.isOpen(at)) samples.push({ target: 'api', at: at + 1_000, ok: !down.has(at), latencyMs: 40, status: down.has(at) ? 503 : 200 });
  }
  for (let i = 0; i < samples.length; i += 100) await Promise.all(samples.slice(i, i + 100).map((s) => stack.dependencies.samples.putSample(s)));
}

beforeAll(async () => {
  // Monday 30 November 2026, 09:00 in Copenhagen, as the console's own test has it.
  stack = await startTestStack({ clockStart: '2026-11-30T09:00:00+01:00' });
  await measureNovember();
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1100, height: 700 } })).newPage();
  await page.goto(stack.url);
  await page.getByRole('button', { name: 'Sign in as customer ACME' }).click();
  await page.getByRole('link', { name: 'Availability' }).click();
  await page.locator('#daily-availability .day').first().waitFor({ state: 'visible', timeout: 15_000 });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("the console's availability chart", () => {
  it('has a y-axis from a floor that is no negative percentage to 100%, its labels apart, the target labelled', async () => {
    const labels = await boxesOf(page, '#daily-availability .tick-label');
    expect(labels[0]!.text).toBe('100%');
    expect(labels.length).toBeGreaterThanOrEqual(3);
    const floor = Number.parseFloat(labels.at(-1)!.text);
    expect(floor).toBeGreaterThanOrEqual(0);
    expect(floor).toBeLessThanOrEqual(96.875);
    for (let i = 1; i < labels.length; i++) expect(overlap(labels[i - 1]!, labels[i]!), `${labels[i - 1]!.text} and ${labels[i]!.text}`).toBe(false);
    const target = (await boxesOf(page, '#daily-availability .target-label'))[0]!;
    expect(target.text).toBe('99.5% target');
    for (const label of labels) expect(overlap(label, target), label.text).toBe(false);
  });

  it('names the days below, apart from each other, and says each day’s value on hover and focus', async () => {
    const days = await boxesOf(page, '#daily-availability .day-label');
    expect(days[0]!.text).toBe('2');
    for (let i = 1; i < days.length; i++) expect(overlap(days[i - 1]!, days[i]!)).toBe(false);
    const tenth = page.locator('#daily-availability .day[data-date="2026-11-10"]');
    expect(await tenth.getAttribute('aria-label')).toBe('Tue 10 Nov 2026: 96.875%');
    expect(await tenth.locator('title').textContent()).toBe('Tue 10 Nov 2026: 96.875%');
    expect(await tenth.locator('.value').isVisible()).toBe(false);
    await tenth.focus();
    expect(await tenth.locator('.value').textContent()).toBe('96.88%');
    expect(await tenth.locator('.value').isVisible()).toBe(true);
  });

  it('passes axe-core', async () => {
    expect(await seriousViolations(page)).toEqual([]);
  });
});
