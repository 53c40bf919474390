import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { ProbeTarget } from '#domain/availability/probe';
import type { Role } from '#domain/actor';
import type { AlertSender } from '#domain/notifications/alerts';
import { demoIntegrationKey, issueDemoAssertion, issueToken, signingKey } from '../../bin/local/local-tokens';
import { type LocalStack, startLocalStack } from '../../bin/local/stack';
import { documentViolation } from './openapi-validator';

interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: any;
  readonly text: string;
}

export interface TestStack extends LocalStack {
  /** What the local server logged: a line per request, and refused tokens. */
  readonly logs: string[];
  token(role: Exclude<Role, 'system'>, customerId?: string): Promise<string>;
  /** An assertion of the stack's demo integration, as customer DEMO's own system signs one. */
  machineToken(): Promise<string>;
  call(method: string, path: string, options?: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> }): Promise<Reply>;
  /**
   * The stack's clock, the two ways tests move it: `set` puts it at an instant
   * and runs nothing (what is due waits for the test); `jump` moves it as an
   * admin does (POST /_dev/clock), and what came due meanwhile runs before the answer.
   */
  readonly at: { set(instant: string): void; jump(instant: string): Promise<void> };
}

/** The local stack as `npm start` runs it, on the shared DynamoDB Local, with a table of its own. */
export async function startTestStack(
  options: {
    clockStart?: string;
    clockRunning?: boolean;
    probeTargets?: readonly ProbeTarget[];
    monthlyReports?: boolean;
    /** How often the timer loop runs on its own; a test that must see no background writes sets it beyond its length. */
    timerIntervalMs?: number;
    /** Where alerts go instead of the outbox file. */
    alertSender?: AlertSender;
    /** How long the authorizer trusts its read of a person's record (30 s, as on AWS, unless a test erases someone). */
    recordCacheSeconds?: number;
  } = {},
): Promise<TestStack> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sla-desk-test-'));
  const logs: string[] = [];
  const stack = await startLocalStack({
    log: (line) => logs.push(line),
    dataDir,
    port: 0,
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`,
    ...(options.clockStart ? { clockStart: Date.parse(options.clockStart), clockFrozen: !options.clockRunning } : {}),
    probe: false,
    // Built once for the browser tests by their project's setup; the others need only the API.
    console: false,
    monthlyReports: options.monthlyReports ?? false,
    ...(options.probeTargets ? { probeTargets: options.probeTargets } : {}),
    ...(options.timerIntervalMs ? { timerIntervalMs: options.timerIntervalMs } : {}),
    ...(options.alertSender ? { alertSender: options.alertSender } : {}),
    ...(options.recordCacheSeconds !== undefined ? { recordCacheSeconds: options.recordCacheSeconds } : {}),
  });
  const key = await signingKey(dataDir);
  return {
    ...stack,
    logs,
    token: (role, customerId) => issueToken(key, { role, ...(customerId ? { customerId } : {}) }),
    machineToken: async () => issueDemoAssertion(await demoIntegrationKey(dataDir)),
    at: {
      set: (instant) => stack.clock.set(Date.parse(instant)),
      async jump(instant) {
        const response = await fetch(`${stack.url}/_dev/clock`, {
          method: 'POST',
          headers: { authorization: `Bearer ${await issueToken(key, { role: 'admin' })}`, 'content-type': 'application/json' },
          body: JSON.stringify({ now: instant }),
        });
        if (response.status !== 200) throw new Error(`the clock did not move to ${instant}: ${response.status} ${await response.text()}`);
      },
    },
    async call(method, path, { token, body, raw, headers = {} } = {}) {
      const response = await fetch(`${stack.url}${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(raw !== undefined ? { body: raw } : body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      // Every answer the tests see must keep to the OpenAPI document the API publishes.
      const violation = documentViolation(method, path, response.status, response.headers.get('content-type'), text === '' ? undefined : parsed);
      if (violation) throw new Error(`the response breaks the OpenAPI document: ${violation}`);
      return { status: response.status, headers: response.headers, body: parsed, text };
    },
  };
}

export const aTicket = (overrides: Record<string, unknown> = {}) => ({
  title: 'Users missing after sync',
  description: 'Since 08:00 no new users arrive from Entra.',
  category: 'synchronization',
  priority: 'high',
  ...overrides,
});

export type Cast = Record<'acme' | 'globex' | 'agent' | 'admin' | 'finance', string>;

/** Tokens for the usual cast: two customers, and each of the provider's roles. */
export async function castOf(stack: TestStack): Promise<Cast> {
  return {
    acme: await stack.token('customer', 'ACME'),
    globex: await stack.token('customer', 'GLOBEX'),
    agent: await stack.token('agent'),
    admin: await stack.token('admin'),
    finance: await stack.token('finance'),
  };
}
