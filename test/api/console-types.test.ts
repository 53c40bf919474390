import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { API_TYPES_FILE, apiTypes } from '../../bin/api-types';
import { ROUTES } from '#handlers/http/routes';

describe("the console's API types", () => {
  it('are exactly what the OpenAPI document generates now (npm run generate:api-types after changing a route)', async () => {
    expect(await readFile(API_TYPES_FILE, 'utf8')).toBe(await apiTypes());
  });

  it("the local sign-in route is the local stack's own: no declared route, so neither the document nor the CDK app has it", () => {
    expect(ROUTES.filter((r) => r.path.startsWith('/_dev'))).toEqual([]);
  });
});
