import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core on the page as it stands: its serious and critical violations, as
 * `id (impact, nodes)`. It is evaluated through the debugging protocol, which
 * the page's own CSP does not govern.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(await axeSource);
  return page.evaluate(async () => {
    const result = await (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe.run();
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}, ${v.nodes.length})`);
  });
}

/** The boxes of the elements a selector matches, as the browser lays them out. */
export async function boxesOf(page: Page, selector: string): Promise<{ text: string; top: number; bottom: number; left: number; right: number }[]> {
  return page.locator(selector).evaluateAll((nodes) =>
    nodes.map((n) => {
      const box = n.getBoundingClientRect();
      return { text: n.textContent ?? '', top: box.top, bottom: box.bottom, left: box.left, right: box.right };
    }),
  );
}

/** Whether two laid-out boxes share any area. */
export const overlap = (a: { top: number; bottom: number; left: number; right: number }, b: { top: number; bottom: number; left: number; right: number }): boolean =>
  a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
