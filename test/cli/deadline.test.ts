import { describe, expect, it } from 'vitest';
import { runCli, runCliProcess } from '../support/cli';

const run = (...args: string[]) => runCli(args);

describe('the sla-desk binary', () => {
  it('prints what the command says and exits 0, or one line on stderr and exits 2 when misused', async () => {
    const done = await runCliProcess(['deadline', '--priority', 'highest', '--opened', '2026-06-04T13:30:00Z']);
    expect([done.code, JSON.parse(done.stdout).firstResponseDueAt, done.stderr]).toEqual([0, '2026-06-08T08:30:00.000+02:00', '']);
    const misused = await runCliProcess(['deadline', '--priority', 'urgent', '--opened', '2026-06-04T13:30:00Z']);
    expect([misused.code, misused.stdout, misused.stderr.trim().split('\n')]).toEqual([2, '', ['sla-desk: unknown priority "urgent": expected highest, high, medium, low or lowest']]);
  });
});

describe('sla-desk deadline', () => {
  it('prints one JSON object with the deadline, the business minutes and the explanation', async () => {
    const { code, stdout } = await run('deadline', '--priority', 'highest', '--opened', '2026-06-04T13:30:00Z');
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const answer = JSON.parse(stdout);
    expect(answer.firstResponseDueAt).toBe('2026-06-08T08:30:00.000+02:00');
    expect(answer.businessMinutes).toBe(60);
    expect(answer.explain.lines).toContain('2026-06-05 closed: Constitution Day, bank closing day');
  });

  it.each([
    [['deadline', '--priority', 'urgent', '--opened', '2026-06-04T13:30:00Z'], /unknown priority "urgent"/],
    [['deadline', '--priority', 'high', '--opened', '2026-06-04 13:30'], /not an ISO 8601 instant/],
    [['deadline', '--priority', 'high'], /--opened is required/],
    [['deadline', '--priority', 'high', '--opened', '2026-06-04T13:30:00Z', '--extra'], /Unknown option '--extra'/],
    [['deadlines'], /unknown command "deadlines"/],
    [[], /a command is required/],
    [['token', '--machine', '--role', 'admin'], /--machine takes no --role/],
    [['token', '--role', 'agent', '--expires-in', '99999999999d'], /--expires-in/],
  ])('exits 2 with one line on stderr for %j', async (args, message) => {
    const { code, stdout, stderr } = await run(...args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
  });

  it('lists its commands with their summaries apart', async () => {
    const { code, stdout } = await run('--help');
    expect(code).toBe(0);
    for (const name of ['deadline', 'token', 'availability']) expect(stdout).toMatch(new RegExp(`^  ${name} {2,}\\S`, 'm'));
    expect((await run('availability', '--help')).stdout).toMatch(/--as-of .*\(default: the current time/);
  });

  it('documents itself, also as `help deadline`', async () => {
    expect((await run('help', 'deadline')).stdout).toMatch(/--opened/);
    const { code, stdout } = await run('deadline', '--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(/--priority/);
    expect(stdout).toMatch(/--opened/);
  });
});
