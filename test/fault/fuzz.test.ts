import { createHash } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORRELATION_ID } from '#adapters/correlation';
import { createDocumentClient } from '#adapters/dynamodb/client';
import { openApiDocument } from '#handlers/http/openapi-document';
import { documentViolation } from '../support/openapi-validator';
import { aTicket, castOf, startTestStack, type TestStack } from '../support/test-stack';

/**
 * Every route of the OpenAPI document, fed generated requests: bodies,
 * query strings, path parameters and headers, valid ones derived from the
 * document's schemas mixed with hostile ones. Whatever comes in: no 5xx,
 * every refusal is a problem document, no refused request (and no read)
 * writes anything, and nothing reaches Object.prototype.
 */

type Schema = Record<string, any>;
interface Operation {
  readonly method: string;
  readonly path: string;
  readonly parameters: { name: string; in: 'path' | 'query' | 'header'; schema: Schema }[];
  readonly body?: Schema;
  /** Who may call it. */
  readonly roles: readonly string[];
}

const document = openApiDocument();
const OPERATIONS: Operation[] = Object.entries(document.paths).flatMap(([path, operations]) =>
  Object.entries(operations as Record<string, any>).map(([method, op]) => ({
    method: method.toUpperCase(),
    path,
    parameters: op.parameters ?? [],
    roles: op['x-roles'] ?? [],
    ...(op.requestBody ? { body: op.requestBody.content['application/json'].schema } : {}),
  })),
);

/** Requests per route; the bench-sized run is FUZZ_RUNS=… npx vitest run test/fault/fuzz.test.ts. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);

const POLLUTION = 'polluted';
/** Values no schema allows, and values that have broken parsers before. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -1,
    1e308,
    -0,
    2 ** 53 + 1,
    '',
    ' ',
    '\u0000',
    'null',
    'undefined',
    'NaN',
    '-1',
    '1e999',
    '__proto__',
    'constructor',
    '{}',
    '[]',
    '\u202e\u0301',
    '🦄'.repeat(50),
    'ø'.repeat(300),
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.double(),
  fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 4 }),
  fc.anything({ maxDepth: 3, withNullPrototype: true }),
  fc.constant('x'.repeat(70_000)),
  fc.constant(pollutionObject()),
);

/** `{"__proto__": {...}, "constructor": {"prototype": {...}}}` as own keys, as JSON.parse makes them. */
function pollutionObject(): Record<string, unknown> {
  return JSON.parse(`{"__proto__": {"${POLLUTION}": "yes"}, "constructor": {"prototype": {"${POLLUTION}": "yes"}}, "prototype": {"${POLLUTION}": "yes"}}`) as Record<string, unknown>;
}

const isoInstant = fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());

/** Fields whose schema says less than the rules do: values that can get past the rules to a write. */
const FIELD_VALUES: Record<string, () => fc.Arbitrary<unknown>> = {
  customerId: () => fc.constantFrom('ACME', 'GLOBEX'),
  ticketId: () => fc.constantFrom(...known.ticket),
  estimateHours: () => fc.integer({ min: 1, max: 40 }).map((q) => q / 4),
  hours: () => fc.integer({ min: 1, max: 8 }).map((q) => q / 4),
  status: () => fc.constantFrom('new', 'open', 'in_progress', 'waiting', 'resolved', 'closed', 'open,in_progress'),
  limit: () => fc.integer({ min: 1, max: 100 }),
  start: () => fc.integer({ min: 1, max: 60 }).map((d) => new Date(Date.parse('2026-06-10T12:00:00+02:00') + d * 86_400_000).toISOString()),
  end: () => fc.integer({ min: 61, max: 90 }).map((d) => new Date(Date.parse('2026-06-10T12:00:00+02:00') + d * 86_400_000).toISOString()),
  date: () => fc.constantFrom('2026-06-08', '2026-06-09', '2026-06-10'),
  month: () => fc.constantFrom('2026-05', '2026-06'),
  ...Object.fromEntries(['title', 'description', 'body', 'reason', 'name', 'note'].map((f) => [f, () => fc.string({ minLength: 1, maxLength: 60, unit: 'grapheme' }).map((t) => `${t.trim()}x`)])),
};

/** A value the schema allows (as nearly as the schema says), now and then a hostile one in its place. */
function fromSchema(schema: Schema | undefined, depth = 0, hostile = true): fc.Arbitrary<unknown> {
  return hostile ? fc.oneof({ weight: 6, arbitrary: validFor(schema, depth, true) }, { weight: 1, arbitrary: hostileValue }) : validFor(schema, depth, false);
}

function validFor(schema: Schema | undefined, depth: number, hostile = false): fc.Arbitrary<unknown> {
  if (!schema || depth > 4) return fc.anything({ maxDepth: 1 });
  if (schema.anyOf) return fc.oneof(...(schema.anyOf as Schema[]).map((s) => validFor(s, depth + 1, hostile)));
  if (schema.enum) return fc.constantFrom(...(schema.enum as unknown[]));
  switch (schema.type) {
    case 'string': {
      if (schema.format === 'date-time') return isoInstant;
      if (schema.format === 'date') return isoInstant.map((t) => t.slice(0, 10));
      if (schema.format === 'email') return fc.constantFrom('ops@acme.example', 'anna.berg@globex.example', "o'neil+x@mail.example.dk");
      if (schema.pattern) {
        try {
          return fc.stringMatching(new RegExp(schema.pattern as string)).filter((s) => s.length <= (schema.maxLength ?? 2048));
        } catch {
          /* a pattern fast-check cannot generate from: plain strings */
        }
      }
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 60, 60), unit: 'grapheme' });
    }
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -5, max: schema.maximum ?? 1000 });
    case 'number':
      return fc.oneof(fc.integer({ min: Math.ceil(schema.exclusiveMinimum ?? schema.minimum ?? -5), max: schema.maximum ?? 1000 }), fc.double({ min: 0.25, max: 100, noNaN: true }));
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(fromSchema(schema.items as Schema, depth + 1, hostile), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 3, 3) });
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const field = (name: string, s: Schema) => (!hostile && FIELD_VALUES[name] && !s.enum ? FIELD_VALUES[name]!() : fromSchema(s, depth + 1, hostile));
      const record = fc.record(Object.fromEntries(Object.entries(properties).map(([name, s]) => [name, field(name, s)])), {
        requiredKeys: (schema.required ?? []) as string[],
      });
      if (!hostile) return record;
      // Now and then a key the schema does not know: a server-owned field, or a prototype key.
      return fc
        .tuple(record, fc.option(fc.constantFrom('__proto__', 'constructor', 'id', 'customerId', 'status', 'version', 'role'), { freq: 4 }), hostileValue)
        .map(([value, extra, extraValue]) => (extra === null ? value : Object.defineProperty({ ...value }, extra, { value: extraValue, enumerable: true, writable: true, configurable: true })));
    }
    default:
      return fc.anything({ maxDepth: 1 });
  }
}

/** Ids that name things the stack has (set in beforeAll), ids that do not, and hostile ones. */
const known: { ticket: string[]; customer: string[]; consultancy: string[]; window: string[] } = { ticket: [], customer: ['ACME', 'GLOBEX', 'NOBODY'], consultancy: [], window: [] };
function pathPool(path: string, name: string): string[] {
  return name === 'month'
    ? ['2026-05', '2026-06', '2026-13', '1999-01', '2101-01']
    : name === 'file'
      ? ['report.json', 'availability.csv', 'sla.csv', 'resolution.csv', 'consultancy.csv', 'report.html', '..%2F..%2Fetc%2Fpasswd']
      : name === 'n'
        ? ['1', '2', '0', '-1', '99999999999999999999']
        : path.startsWith('/tickets')
          ? [...known.ticket, 'ACME-999', 'GLOBEX-1']
          : path.startsWith('/customers')
            ? known.customer
            : path.startsWith('/consultancy')
              ? [...known.consultancy, 'CR-ACME-999']
              : path.startsWith('/service-windows')
                ? [...known.window, 'SW-NONE']
                : ['x'];
}

function pathValue(path: string, name: string): fc.Arbitrary<string> {
  const pool = pathPool(path, name);
  const hostile = fc.oneof(
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).map(encodeURIComponent),
    fc.constantFrom('__proto__', 'constructor', 'prototype', '%00', '%E0%A4%A', '%2e%2e', '..', '%20', 'A'.repeat(5000), '%F0%9F%A6%84', encodeURIComponent('ACME-1\u0000')),
  );
  return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...pool.map(encodeURIComponent)) }, { weight: 1, arbitrary: hostile });
}

function queryString(op: Operation): fc.Arbitrary<string> {
  const params = op.parameters.filter((p) => p.in === 'query');
  const one = (p: Operation['parameters'][number]) =>
    fc.option(
      fc.oneof(
        { weight: 3, arbitrary: validFor(p.schema, 0).map((v) => [[p.name, String(v)]]) },
        { weight: 1, arbitrary: fc.array(fc.string({ unit: 'grapheme', maxLength: 20 }), { minLength: 1, maxLength: 3 }).map((vs) => vs.map((v) => [p.name, v])) },
        { weight: 1, arbitrary: fc.constantFrom('', 'x'.repeat(5000), '-1', '1e3', '0x10', 'open,,closed', '%', '\u0000').map((v) => [[p.name, v]]) },
      ),
      { freq: 2 },
    );
  const extra = fc.option(
    fc.constantFrom(
      [['__proto__', 'x']],
      [['constructor[prototype][polluted]', 'yes']],
      [['__proto__[polluted]', 'yes']],
      [['unknown', '1']],
      [
        ['limit', '1'],
        ['limit', '2'],
      ],
    ),
    { freq: 3 },
  );
  return fc.tuple(fc.tuple(...params.map(one)), extra).map(([values, more]) => {
    const pairs = [...values.filter((v) => v !== null).flat(), ...(more ?? [])] as [string, string][];
    return pairs.length ? `?${new URLSearchParams(pairs).toString()}` : '';
  });
}

interface FuzzRequest {
  readonly path: string;
  readonly role: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

const BAD_JSON = [
  '{',
  '{"title": ',
  '[',
  'nul',
  '"',
  '{"a":1}}',
  '\ufeff{}',
  '{"a": 1, "a": 2}',
  'NaN',
  '1e999',
  `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
  `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`,
];
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16',
  'application/merge-patch+json',
  '',
];
const ROLES = ['acme', 'globex', 'agent', 'admin', 'finance', 'machine', 'none', 'garbage'] as const;

/** Half the requests are valid as far as the document can say (a role that may call, ids that exist, bodies of the schema), so they get past validation to the rules; half are hostile. */
function requestFor(op: Operation): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(validRequest(op), hostileRequest(op));
}

const ROLE_TOKENS: Record<string, readonly (typeof ROLES)[number][]> = { customer: ['acme', 'globex', 'machine'], agent: ['agent'], admin: ['admin'], finance: ['finance'] };

function validRequest(op: Operation): fc.Arbitrary<FuzzRequest> {
  const pathParams = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const roles = op.roles.flatMap((r) => ROLE_TOKENS[r] ?? []);
  const query = op.parameters.filter((p) => p.in === 'query');
  return fc
    .record({
      pathValues: fc.tuple(...pathParams.map((name) => fc.constantFrom(...pathPool(op.path, name)))),
      query: fc.tuple(
        ...query.map((p) =>
          fc.option(
            (FIELD_VALUES[p.name] && !p.schema.enum ? FIELD_VALUES[p.name]!() : validFor(p.schema, 0)).map((v) => [p.name, String(v)] as [string, string]),
            { freq: 2 },
          ),
        ),
      ),
      role: roles.length ? fc.constantFrom(...roles) : fc.constant<(typeof ROLES)[number]>('none'),
      body: op.body ? fromSchema(op.body, 0, false).map((v) => JSON.stringify(v)) : fc.constant(undefined),
      idempotencyKey: fc.option(fc.uuid(), { freq: 2 }),
    })
    .map(({ pathValues, query, role, body, idempotencyKey }) => {
      let path = op.path;
      for (const [i, name] of pathParams.entries()) path = path.replace(`{${name}}`, encodeURIComponent(pathValues[i]!));
      const pairs = query.filter((q) => q !== null);
      return {
        path: `${path}${pairs.length ? `?${new URLSearchParams(pairs).toString()}` : ''}`,
        role,
        headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(idempotencyKey !== null ? { 'idempotency-key': idempotencyKey } : {}) },
        ...(body !== undefined ? { body } : {}),
      };
    });
}

function hostileRequest(op: Operation): fc.Arbitrary<FuzzRequest> {
  const pathParams = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const body: fc.Arbitrary<string | undefined> = op.body
    ? fc.oneof(
        { weight: 6, arbitrary: fromSchema(op.body).map((v) => JSON.stringify(v) ?? 'null') },
        { weight: 1, arbitrary: fc.constantFrom(...BAD_JSON) },
        { weight: 1, arbitrary: fc.constant(undefined) },
      )
    : op.method === 'GET'
      ? fc.constant(undefined) // a GET with a body never leaves the client
      : fc.option(fc.oneof(fc.constantFrom(...BAD_JSON), fc.json()), { freq: 4, nil: undefined });
  const header = fc.oneof(
    fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 }),
    fc.constantFrom('x'.repeat(300), '"1"', '*', 'W/"1"', '"99999999999999999999"', '1'),
  );
  return fc
    .record({
      pathValues: fc.tuple(...pathParams.map((name) => pathValue(op.path, name))),
      query: queryString(op),
      role: fc.constantFrom(...ROLES),
      contentType: fc.oneof({ weight: 5, arbitrary: fc.constant('application/json') }, { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) }),
      body,
      idempotencyKey: fc.option(fc.oneof(fc.uuid(), header), { freq: 2 }),
      ifMatch: fc.option(header, { freq: 2 }),
      // Every operation takes one; a hostile one must fall back to the gateway's request id, never fail the request.
      correlationId: fc.option(fc.oneof(fc.constantFrom('portal-1', 'JKJaXmPLvHcESHA='), header), { freq: 2 }),
    })
    .map(({ pathValues, query, role, contentType, body, idempotencyKey, ifMatch, correlationId }) => {
      let path = op.path;
      for (const [i, name] of pathParams.entries()) path = path.replace(`{${name}}`, pathValues[i]!);
      return {
        path: `${path}${query}`,
        role,
        headers: {
          ...(body !== undefined && contentType ? { 'content-type': contentType } : {}),
          ...(idempotencyKey !== null ? { 'idempotency-key': idempotencyKey } : {}),
          ...(ifMatch !== null ? { 'if-match': ifMatch } : {}),
          ...(correlationId !== null ? { 'x-correlation-id': correlationId } : {}),
        },
        ...(body !== undefined ? { body } : {}),
      };
    });
}

let stack: TestStack;
let tokens: Record<(typeof ROLES)[number], string | undefined>;
const db = () => createDocumentClient({ endpoint: stack.dynamoEndpoint });
let reader: ReturnType<typeof db>;

/** The whole table, as a digest: equal digests, equal contents. */
async function tableDigest(): Promise<{ digest: string; items: number }> {
  const hash = createHash('sha256');
  let items = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await reader.send(new ScanCommand({ TableName: stack.tableName, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }));
    for (const item of page.Items ?? []) hash.update(JSON.stringify(item));
    items += page.Items?.length ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return { digest: hash.digest('hex'), items };
}

beforeAll(async () => {
  // No timer loop of its own while fuzzing: then only the requests write.
  stack = await startTestStack({ clockStart: '2026-06-10T10:00:00+02:00', timerIntervalMs: 2_000_000_000 });
  reader = db();
  const cast = await castOf(stack);
  tokens = { ...cast, machine: await stack.machineToken(), none: undefined, garbage: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' };
  const ok = async (method: string, path: string, token: string, body: unknown) => {
    const reply = await stack.call(method, path, { token, body });
    expect(reply.status, reply.text).toBeLessThan(300);
    return reply.body as Record<string, any>;
  };
  await ok('PUT', '/customers/ACME', cast.admin, {
    name: 'Acme',
    contacts: [{ email: 'ops@acme.example', receives: ['alerts', 'notices', 'approvals'] }],
    goLiveAt: '2026-06-01T08:00:00+02:00',
    hypercareWeeks: 4,
    consultancyRate: { hourly: '1250', currency: 'DKK' },
  });
  await ok('PUT', '/customers/GLOBEX', cast.admin, { name: 'Globex' });
  // A person's record is written the first time their token is seen (the authorizer's bookkeeping, not the request's
  // doing): every person of the cast is seen once here, so a refused request later writes nothing at all.
  for (const token of Object.values(cast)) await ok('GET', '/tickets?limit=1', token, undefined);
  known.ticket.push((await ok('POST', '/tickets', cast.acme, aTicket())).id, (await ok('POST', '/tickets', cast.globex, aTicket())).id);
  known.consultancy.push((await ok('POST', '/consultancy', cast.acme, { service: 'crm-flows', description: 'Two new flows', estimateHours: 4 })).id);
  known.window.push((await ok('POST', '/service-windows', cast.agent, { start: '2026-06-20T08:00:00+02:00', end: '2026-06-20T10:00:00+02:00', reason: 'Upgrade' })).id);
}, 60_000);

afterAll(async () => {
  reader?.destroy();
  await stack?.stop();
});

const answered = new Map<number, number>();
afterAll(() => {
  // What the fuzzing met, for whoever reads the output: status → count.
  console.info(`fuzz: ${[...answered.values()].reduce((a, b) => a + b, 0)} requests, by status: ${JSON.stringify(Object.fromEntries([...answered].sort(([a], [b]) => a - b)))}`);
});

describe('every route survives generated and hostile requests', () => {
  it.each(OPERATIONS.map((op) => [`${op.method} ${op.path}`, op] as const))(
    '%s',
    async (_, op) => {
      let before = await tableDigest();
      const property = fc.assert(
        fc.asyncProperty(requestFor(op), async (request) => {
          const token = tokens[request.role as keyof typeof tokens];
          const response = await fetch(`${stack.url}${request.path}`, {
            method: op.method,
            headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...request.headers },
            ...(request.body !== undefined ? { body: request.body } : {}),
          });
          const text = await response.text();
          answered.set(response.status, (answered.get(response.status) ?? 0) + 1);
          const contentType = response.headers.get('content-type');
          let body: any;
          try {
            body = text === '' ? undefined : JSON.parse(text);
          } catch {
            body = text;
          }
          const where = `${op.method} ${request.path.slice(0, 200)} as ${request.role} → ${response.status}`;
          expect(response.status, `${where}: ${text.slice(0, 300)}`).toBeLessThan(500);
          if (response.status >= 400) {
            expect(contentType, where).toBe('application/problem+json');
            expect(body, where).toMatchObject({ type: expect.any(String), title: expect.any(String), status: response.status });
          }
          // Within the document: documented statuses, bodies matching their schemas.
          expect(documentViolation(op.method, request.path, response.status, contentType, body)).toBeUndefined();
          // What a handler answered names a sane correlation id (the gateway's own 401s name none, as on AWS).
          const correlation = response.headers.get('x-correlation-id');
          if (correlation !== null) expect(correlation, where).toMatch(CORRELATION_ID);
          // Nothing reached the prototype every object shares.
          expect(({} as Record<string, unknown>)[POLLUTION], where).toBeUndefined();
          expect(Object.keys(Object.prototype), where).toEqual([]);
          const after = await tableDigest();
          if (response.status >= 400 || op.method === 'GET') expect(after, `${where} wrote to the table`).toEqual(before);
          before = after;
        }),
        { numRuns: RUNS, endOnFailure: true },
      );
      // A counterexample can be a megabyte of brackets: keep the report readable.
      await property.catch((error: Error) => {
        throw new Error(
          `${error.message.replace(/(.)\1{200,}/g, (run, c: string) => `${c.repeat(20)}…(${run.length}×)`).slice(0, 4000)}\n${String((error.cause as Error | undefined)?.message ?? '').slice(0, 2000)}`,
        );
      });
    },
    120_000,
  );
});
