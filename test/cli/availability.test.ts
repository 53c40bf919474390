import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';

let dir: string;
const run = (...args: string[]) => runCli(['availability', ...args]);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sla-desk-availability-'));
  const lines = [
    { target: 'api', at: '2026-06-10T06:00:42.123Z', ok: true, latencyMs: 45, status: 200 },
    { target: 'api', at: '2026-06-10T06:05:42.123Z', ok: false, latencyMs: 5000, error: 'timeout' },
    { target: 'crm', at: '2026-06-10T06:05:42.123Z', ok: true, latencyMs: 80, status: 200 },
  ];
  await writeFile(join(dir, 'samples.jsonl'), `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  await writeFile(join(dir, 'windows.json'), JSON.stringify([{ start: '2026-06-17T12:00:00+02:00', end: '2026-06-17T14:30:00+02:00', reason: 'Critical patch' }]));
  await writeFile(join(dir, 'bad.jsonl'), `${JSON.stringify(lines[0])}\n{"target":"api","at":"yesterday","ok":true,"latencyMs":1}\n`);
  await writeFile(join(dir, 'broken.jsonl'), `${JSON.stringify(lines[0])}\n${JSON.stringify(lines[1])}\n{"target":\n`);
  await writeFile(join(dir, 'bad-windows.json'), JSON.stringify([{ start: '2026-06-17T14:00:00+02:00', end: '2026-06-17T12:00:00+02:00', reason: 'backwards' }]));
});

describe('sla-desk availability', () => {
  it('prints the figure as one JSON object on the last line', async () => {
    const { code, stdout } = await run('--month', '2026-06', '--samples', join(dir, 'samples.jsonl'), '--windows', join(dir, 'windows.json'));
    expect(code).toBe(0);
    const figure = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(figure).toMatchObject({ excludedSlots: 30, eligibleSlots: 1986, upSlots: 1, downSlots: 1, missingSlots: 1984, targetMet: false });
    expect(figure.availabilityPercent).toBe((100 * 1) / 1986);
  });

  it('counts the target asked for', async () => {
    const { stdout } = await run('--month', '2026-06', '--samples', join(dir, 'samples.jsonl'), '--target', 'crm');
    expect(JSON.parse(stdout)).toMatchObject({ target: 'crm', upSlots: 1, downSlots: 0, eligibleSlots: 2016 });
  });

  it.each([
    ['bad.jsonl', /bad\.jsonl:2: at /],
    ['broken.jsonl', /broken\.jsonl:3: not valid JSON/],
    ['missing.jsonl', /missing\.jsonl: ENOENT/],
  ])('a bad samples file (%s) exits 2 naming the file and line', async (file, message) => {
    const { code, stderr, stdout } = await run('--month', '2026-06', '--samples', join(dir, file));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
  });

  it('a bad windows file exits 2', async () => {
    const { code, stderr } = await run('--month', '2026-06', '--samples', join(dir, 'samples.jsonl'), '--windows', join(dir, 'bad-windows.json'));
    expect(code).toBe(2);
    expect(stderr).toMatch(/bad-windows\.json: window 1: .*end must be after start/);
  });

  it('a bad month exits 2', async () => {
    expect((await run('--month', '2026-13', '--samples', join(dir, 'samples.jsonl'))).code).toBe(2);
  });
});
