import { describe, expect, it } from 'vitest';
import { openApiDocument } from '#handlers/http/openapi-document';
import { ROUTES } from '#handlers/http/routes';
import { documentViolation } from '../support/openapi-validator';

describe('the OpenAPI document', () => {
  const document = openApiDocument();

  it('is OpenAPI 3.1 and covers every route, and nothing else', () => {
    expect(document.openapi).toBe('3.1.0');
    const documented = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('takes request bodies from the same zod schemas the handlers use', () => {
    const create = document.paths['/tickets']!.post as { requestBody: { content: { 'application/json': { schema: { properties: Record<string, unknown>; additionalProperties: boolean } } } } };
    const schema = create.requestBody.content['application/json'].schema;
    expect(Object.keys(schema.properties).sort()).toEqual(['category', 'description', 'impact', 'priority', 'title']);
    expect(schema.additionalProperties).toBe(false);
  });

  it('marks which routes need a token', () => {
    for (const route of ROUTES) {
      const operation = document.paths[route.path]![route.method.toLowerCase()] as { security: unknown[] };
      expect(operation.security.length > 0, route.id).toBe(route.authenticated);
    }
  });
});

describe('the document is truthful', () => {
  const document = openApiDocument();
  const operation = (path: string, method: string) =>
    document.paths[path]![method] as { responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }>; parameters?: { name: string; in: string }[] };

  it('has a servers entry, and real response schemas: 201 and 204 as such', () => {
    expect(document.servers).toEqual([{ url: '/', description: 'This API' }]);
    const created = operation('/tickets', 'post').responses['201']!.content!['application/json']!.schema;
    expect(created.required).toEqual(expect.arrayContaining(['id', 'status', 'firstResponseDueAt', 'sla']));
    expect(created.additionalProperties).toBe(false);
    expect(operation('/service-windows/{id}', 'delete').responses['204']).toEqual({ description: 'Cancelled', headers: { 'x-correlation-id': { $ref: '#/components/headers/CorrelationId' } } });
    for (const route of ROUTES) {
      const responses = operation(route.path, route.method.toLowerCase()).responses;
      expect(Object.keys(responses), route.id).toEqual([...Object.keys(route.responses), '4XX', 'default']);
      // Every answer, problems too, names its correlation id.
      for (const [status, answer] of Object.entries(responses)) expect((answer as { headers?: object }).headers, `${route.id} ${status}`).toHaveProperty('x-correlation-id');
    }
  });

  it('names Idempotency-Key on every route that honours it, and If-Match where it is honoured', () => {
    for (const route of ROUTES) {
      const headers = (operation(route.path, route.method.toLowerCase()).parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name);
      expect(headers.includes('Idempotency-Key'), route.id).toBe(
        ['create-ticket', 'add-comment', 'create-service-window', 'create-consultancy', 'log-consultancy-time', 'request-consultancy-increase'].includes(route.id),
      );
      expect(headers.includes('If-Match'), route.id).toBe(['update-ticket', 'put-customer'].includes(route.id));
    }
  });

  it('the validator the API tests use catches an answer that breaks it', () => {
    const ticket = {
      id: 'ACME-1',
      customerId: 'ACME',
      title: 't',
      description: 'd',
      category: 'other',
      priority: 'high',
      status: 'open',
      hypercare: false,
      assignee: null,
      openedAt: '2026-06-10T09:00:00.000+02:00',
      firstResponseDueAt: '2026-06-10T13:00:00.000+02:00',
      firstRespondedAt: null,
      breachedAt: null,
      updatedAt: '2026-06-10T09:00:00.000+02:00',
      version: 1,
      sla: { state: 'running', targetMinutes: 240, usedMinutes: 0, leftMinutes: 240, warnAt: '2026-06-10T12:00:00.000+02:00' },
      resolution: { resolvedAt: null, businessMinutes: null, targetMinutes: null, resolveBy: null, withinTarget: null },
      actions: ['comment'],
    };
    expect(documentViolation('GET', '/tickets/ACME-1', 200, 'application/json', ticket)).toBeUndefined();
    expect(documentViolation('GET', '/tickets/ACME-1', 200, 'application/json', { ...ticket, sla: undefined })).toMatch(/sla/);
    expect(documentViolation('GET', '/tickets/ACME-1', 200, 'application/json', { ...ticket, secret: 1 })).toMatch(/additional properties/);
    expect(documentViolation('GET', '/tickets/ACME-1', 201, 'application/json', ticket)).toMatch(/names no 201/);
    expect(documentViolation('GET', '/tickets/ACME-1', 404, 'application/json', { message: 'Not Found' })).toMatch(/problem\+json/);
    expect(documentViolation('GET', '/tickets/ACME-1', 404, 'application/problem+json', { type: '/problems/not-found', title: 'Not Found', status: 404 })).toBeUndefined();
  });
});
