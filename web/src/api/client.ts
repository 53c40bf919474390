import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

/** The signed-in person's access token: in memory only, gone with the tab. */
let token: string | undefined;
export const setToken = (value: string | undefined) => (token = value);
export const hasToken = () => token !== undefined;

const auth: Middleware = {
  onRequest({ request }) {
    if (token) request.headers.set('authorization', `Bearer ${token}`);
    return request;
  },
};

/** Where the API is: the page's own origin locally, the API Gateway URL from config.json on AWS. */
let baseUrl = '';
export const setBaseUrl = (url: string) => (baseUrl = url.replace(/\/$/, ''));

const origin: Middleware = {
  onRequest({ request }) {
    if (!baseUrl) return request;
    const url = new URL(request.url);
    return new Request(`${baseUrl}${url.pathname}${url.search}`, request);
  },
};

/** The API, typed from its OpenAPI document: a route or field the API lacks does not compile. */
export const api = createClient<paths>({ baseUrl: '' });
api.use(origin, auth);

/** What a problem+json says, in words: its detail, and the field each validation issue names. */
interface Problem {
  readonly status?: number;
  readonly detail?: string;
  readonly errors?: readonly { readonly path: string; readonly message: string }[];
}

export function problemText(error: unknown): string {
  const problem = error as Problem | undefined;
  return problem?.detail ?? 'The request failed.';
}

/** The message for one field (`body.title`), or for a part of it (`body.contacts.0.email`), else none. */
export function fieldProblem(error: unknown, field: string): string | undefined {
  const path = `body.${field}`;
  return (error as Problem | undefined)?.errors?.find((e) => e.path === path || e.path.startsWith(`${path}.`))?.message;
}
