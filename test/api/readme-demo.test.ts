import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aTicket, startTestStack, type TestStack } from '../support/test-stack';

/*
 * The breach demo of the README's five-minute tour, step by step, on a running
 * clock as `SLA_DESK_CLOCK=2026-06-04T15:30:00+02:00 npm start` gives it.
 */

/** The demo's steps as README.md shows them: the ones this test runs. */
const README_STEPS = [
  'DATA_DIR=.demo SLA_DESK_CLOCK=2026-06-04T15:30:00+02:00 npm start',
  '"priority":"highest"',
  'jump 2026-06-08T08:29:00+02:00',
  'jump 2026-06-08T08:31:00+02:00',
  'cat .demo/outbox.jsonl',
] as const;

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ clockStart: '2026-06-04T15:30:00+02:00', clockRunning: true });
});
afterAll(() => stack.stop());

describe('the README breach demo is true as written', () => {
  it('README.md shows the steps run here', async () => {
    const readme = await readFile(join(__dirname, '../../README.md'), 'utf8');
    for (const step of README_STEPS) expect(readme, step).toContain(step);
  });

  it('a Highest ticket opened Thursday 15:30 is running at Monday 08:29 and breached at 08:31, with its two alert lines', async () => {
    const customer = await stack.token('customer', 'ACME');
    const admin = await stack.token('admin');
    const ticket = (await stack.call('POST', '/tickets', { token: customer, body: aTicket({ priority: 'highest' }) })).body;
    // The clock ran on for the seconds it took: due at 08:30 and those seconds.
    expect(ticket.firstResponseDueAt).toMatch(/^2026-06-08T08:30:\d\d\.\d{3}\+02:00$/);
    const state = async () => (await stack.call('GET', `/tickets/${ticket.id}`, { token: customer })).body.sla.state;

    expect((await stack.call('POST', '/_dev/clock', { token: admin, body: { now: '2026-06-08T08:29:00+02:00' } })).status).toBe(200);
    expect(await state()).toBe('running');
    expect((await stack.call('POST', '/_dev/clock', { token: admin, body: { now: '2026-06-08T08:31:00+02:00' } })).status).toBe(200);
    expect(await state()).toBe('breached');
    await stack.runTimers();
    const lines = (await readFile(join(stack.dataDir, 'outbox.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; channel: string; ticketId: string });
    expect(
      lines
        .filter((l) => l.ticketId === ticket.id && !l.kind.startsWith('ticket-'))
        .map((l) => `${l.kind}/${l.channel}`)
        .sort(),
    ).toEqual(['breach/email', 'breach/sns', 'warning/email', 'warning/sns']);
  });
});

/**
 * The README's shell, as a newcomer pastes it into the second shell: every
 * command of the breach demo and of the agent's answer, in order, against a
 * stack on a fresh DATA_DIR. Each command's output is checked against the
 * comment the README puts beside it.
 */
describe("the README's shell runs in order as written", () => {
  const ROOT = join(__dirname, '../..');
  /** The commands of a ```sh block, from `after` on: continued lines kept together, the `export` of the demo's DATA_DIR and URL left to the test. */
  async function commandsAfter(after: string): Promise<string[]> {
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    const start = readme.indexOf(after);
    expect(start, after).toBeGreaterThan(-1);
    // A shell comment is inside its block, from there on; other text comes before its block.
    const open = after.startsWith('#') ? readme.lastIndexOf('```sh\n', start) : readme.indexOf('```sh\n', start);
    const block = readme.slice(open + 6, readme.indexOf('\n```', open));
    return block
      .slice(after.startsWith('#') ? block.indexOf('\n', block.indexOf(after)) + 1 : 0)
      .split(/(?<!\\)\n/)
      .filter((c) => c.trim() && !c.startsWith('#') && !c.startsWith('export DATA_DIR=.demo URL='));
  }

  it('the demo and the agent answer give what their comments say', async () => {
    const own = await startTestStack({ clockStart: '2026-06-04T15:30:00+02:00', clockRunning: true });
    try {
      const commands = [...(await commandsAfter('# In a second shell')), ...(await commandsAfter('**An agent answers, late**'))];
      // A marker before each command, so its output can be read beside its comment.
      const script = commands.map((c, i) => `printf '\\n@@${i}\\n'\n${c.replaceAll('.demo/', '$DATA_DIR/')}`).join('\n');
      const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], { cwd: ROOT, env: { ...process.env, DATA_DIR: own.dataDir, URL: own.url } });
      const outputs = stdout.split(/\n@@\d+\n/).slice(1);
      expect(outputs).toHaveLength(commands.length);
      const said = (comment: string) => {
        const i = commands.findIndex((c) => c.includes(comment));
        expect(i, comment).toBeGreaterThan(-1);
        return outputs[i]!;
      };
      expect(said('# due Monday 8 June 08:30')).toMatch(/"firstResponseDueAt":"2026-06-08T08:30:/);
      expect(JSON.parse(said("# another customer's: 404"))).toMatchObject({ status: 404 });
      expect(said('"state": "running"')).toContain('"state":"running"');
      expect(said('"state": "breached"')).toContain('"state":"breached"');
      expect(said('cat ')).toMatch(/"kind":"warning".*"kind":"breach"/s);
      expect(JSON.parse(said('# the first response'))).toMatchObject({ visibility: 'public' });
      expect(said('# still "breached"')).toContain('"state":"breached"');
      expect(JSON.parse(said('# the audit trail')).items.map((e: { type: string }) => e.type)).toContain('comment.added');
    } finally {
      await own.stop();
    }
  });
});
