import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../functions/handlers/http/openapi-document';
import { ROUTES } from '../../functions/handlers/http/routes';

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
