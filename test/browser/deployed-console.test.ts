import { launchBrowser } from '../support/browser';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleFile } from '../../bin/local/console';
import { CONSOLE_BUILD } from '../../lib/console-hosting';
import type { SlaDeskStack } from '../../lib/sla-desk-stack';
import { challengeOf } from '../../web/src/tokens';
import { deployedFile, filledIn, synthStage } from '../support/synth';
import { aTicket, startTestStack, type TestStack } from '../support/test-stack';

/*
 * The built console as AWS serves it, in Chromium: the Content-Security-Policy
 * is the one the template gives CloudFront, its tokens filled in with realistic
 * values, and index.html (with the page's own policy) and config.json are the
 * ones the bucket deployment writes, their markers filled in likewise. Chromium
 * resolves the AWS host names (the distribution, the API's execute-api host,
 * Cognito's domain, the report bucket) to one local TLS server, which serves
 * the console, answers for Cognito's managed login, passes the API's requests
 * to the local stack (the same handlers) with API Gateway's CORS as the template
 * configures it, and answers for the report bucket's presigned URLs.
 */

type Json = Record<string, any>;

/** Realistic values for what CloudFormation decides at deploy. */
const REGION = 'eu-north-1';
const URL_SUFFIX = 'amazonaws.com';
const ACCOUNT = '123456789012';
const API_ID = 'a1b2c3d4e5';
const DISTRIBUTION_DOMAIN = 'd1a2b3c4d5e6f7.cloudfront.net';
const PEOPLE_CLIENT_ID = '4b1k9d0q7c2m5n8p3r6s9t0u1v';
/** CloudFormation names a bucket without a name `<stack>-<logical id>-<random>`, lower case. */
const bucketName = (logicalId: string) => `sladesk-dev-${logicalId.toLowerCase()}-1x2y3z4a5b6c`;
/** Hosts the policy must not let the page talk to: an API in another region, another API in this one, and another user pool's managed login. */
const OTHER_API_HOST = `f6g7h8i9j0.execute-api.eu-west-1.${URL_SUFFIX}`;
const NEIGHBOUR_API_HOST = `zzzzzzzzzz.execute-api.${REGION}.${URL_SUFFIX}`;
const OTHER_COGNITO_HOST = `someone-else.auth.${REGION}.amazoncognito.com`;

/** Fills in a template value's intrinsics; anything this test has no realistic value for fails it. */
function resolverOf(resources: Record<string, Json>) {
  const ref = (id: string): string => {
    const pseudo: Record<string, string> = { 'AWS::Region': REGION, 'AWS::URLSuffix': URL_SUFFIX, 'AWS::AccountId': ACCOUNT, 'AWS::Partition': 'aws' };
    if (pseudo[id]) return pseudo[id];
    const resource = resources[id];
    switch (resource?.Type) {
      case 'AWS::ApiGatewayV2::Api':
        return API_ID;
      // A user pool domain's Ref is its prefix.
      case 'AWS::Cognito::UserPoolDomain':
        return String(resolve(resource.Properties.Domain));
      case 'AWS::Cognito::UserPoolClient':
        return PEOPLE_CLIENT_ID;
      default:
        throw new Error(`no realistic value for Ref ${id} (${resource?.Type})`);
    }
  };
  const getAtt = (id: string, attribute: string): string => {
    const type = resources[id]?.Type;
    if (type === 'AWS::S3::Bucket' && attribute === 'RegionalDomainName') return `${bucketName(id)}.s3.${REGION}.${URL_SUFFIX}`;
    if (type === 'AWS::CloudFront::Distribution' && attribute === 'DomainName') return DISTRIBUTION_DOMAIN;
    throw new Error(`no realistic value for Fn::GetAtt ${id}.${attribute} (${type})`);
  };
  const resolve = (value: unknown): any => {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map(resolve);
    const v = value as Json;
    if ('Fn::Join' in v) return (resolve(v['Fn::Join'][1]) as unknown[]).join(v['Fn::Join'][0]);
    if ('Ref' in v) return ref(v.Ref);
    if ('Fn::GetAtt' in v) return getAtt(v['Fn::GetAtt'][0], v['Fn::GetAtt'][1]);
    const intrinsic = Object.keys(v).find((k) => k.startsWith('Fn::'));
    if (intrinsic) throw new Error(`cannot resolve ${intrinsic}: ${JSON.stringify(v)}`);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
  };
  return resolve;
}

/** What the deployed page is served and told, read from the synthesised template. */
interface Deployed {
  /** The response headers policy's. */
  readonly csp: string;
  /** index.html as the deployment writes it, and the policy its meta tag carries. */
  readonly page: string;
  readonly pagePolicy: string;
  readonly config: { auth: string; apiUrl: string; authUrl: string; userPoolClientId: string; region: string };
  /** API Gateway's CORS settings. */
  readonly apiCors: { AllowOrigins: string[]; AllowMethods: string[]; AllowHeaders: string[]; ExposeHeaders: string[]; MaxAge: number };
  /** The report bucket's CORS rules. */
  readonly bucketCors: { AllowedMethods: string[]; AllowedOrigins: string[] }[];
  readonly bucketHost: string;
  /** The attachment bucket's regional host: presigned uploads and downloads. */
  readonly attachmentHost: string;
}

function deployedFrom(stack: SlaDeskStack, resources: Record<string, Json>, outdir: string): Deployed {
  const resolve = resolverOf(resources);
  const only = (type: string) => {
    const found = Object.values(resources).filter((r) => r.Type === type);
    expect(found, type).toHaveLength(1);
    return found[0]!.Properties as Json;
  };
  const logicalId = (construct: IConstruct) => stack.resolve((construct.node.defaultChild as CfnElement).logicalId) as string;
  const csp = resolve(only('AWS::CloudFront::ResponseHeadersPolicy').ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy) as string;
  // index.html and config.json as the deployment writes them: the staged files (one source each), their markers replaced by the values they stand for.
  const [page, config] = ['index.html', 'config.json'].map((key) => filledIn(deployedFile(resources, outdir, key), (value) => String(resolve(value))));
  const pagePolicies = [...page!.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)"/gi)].map((m) => m[1]!);
  expect(pagePolicies, 'the page carries one policy of its own').toHaveLength(1);
  const reportBucket = logicalId(stack.reports.bucket);
  return {
    csp,
    page: page!,
    pagePolicy: pagePolicies[0]!,
    config: JSON.parse(config!),
    apiCors: resolve(only('AWS::ApiGatewayV2::Api').CorsConfiguration),
    bucketCors: resolve(resources[reportBucket]!.Properties.CorsConfiguration.CorsRules),
    bucketHost: `${bucketName(reportBucket)}.s3.${REGION}.${URL_SUFFIX}`,
    attachmentHost: `${bucketName(logicalId(stack.attachments.bucket))}.s3.${REGION}.${URL_SUFFIX}`,
  };
}

/** A self-signed certificate for these hosts (Chromium is told to accept it). */
function certificateFor(dir: string, hosts: readonly string[]): { key: Buffer; cert: Buffer } {
  const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=sla-desk console test',
        '-addext',
        `subjectAltName=${hosts.map((h) => `DNS:${h}`).join(',')}`,
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'pipe' },
    );
  } catch (error) {
    throw new Error(`this test serves the AWS hosts over TLS and needs openssl to make its certificate: ${String(error)}`);
  }
  return { key: readFileSync(key), cert: readFileSync(cert) };
}

const bodyOf = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

let outdir: string;
let certDir: string;
let deployed: Deployed;
let stack: TestStack;
let server: Server;
let browser: Browser;
/** What reached each AWS host. */
const seen: { host: string; method: string; path: string; origin?: string }[] = [];
/** Codes Cognito's managed login handed out, with the PKCE challenge each was asked with. */
const codes = new Map<string, { challenge: string; redirectUri: string }>();
let consoleOrigin: string;
let apiHost: string;
let cognitoHost: string;

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'sla-desk-cdk-'));
  const { stack: synthesized, resources } = synthStage('dev', {}, outdir);
  deployed = deployedFrom(synthesized, resources, outdir);
  consoleOrigin = `https://${DISTRIBUTION_DOMAIN}`;
  apiHost = new URL(deployed.config.apiUrl).host;
  cognitoHost = new URL(deployed.config.authUrl).host;

  stack = await startTestStack({ clockStart: '2026-11-30T09:00:00+01:00' });
  certDir = mkdtempSync(join(tmpdir(), 'sla-desk-tls-'));
  const hosts = [DISTRIBUTION_DOMAIN, apiHost, cognitoHost, deployed.bucketHost, OTHER_API_HOST, NEIGHBOUR_API_HOST, OTHER_COGNITO_HOST];
  server = createServer(certificateFor(certDir, hosts), (request, response) => {
    answer(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  browser = await launchBrowser(`--host-resolver-rules=${hosts.map((host) => `MAP ${host} 127.0.0.1:${port}`).join(', ')}`, '--ignore-certificate-errors');
}, 180_000);

afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await stack?.stop();
  for (const dir of [outdir, certDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const host = (request.headers.host ?? '').replace(/:\d+$/, '');
  const url = new URL(request.url ?? '/', `https://${host}`);
  const origin = request.headers.origin;
  seen.push({ host, method: request.method ?? 'GET', path: url.pathname, ...(origin ? { origin } : {}) });
  if (host === DISTRIBUTION_DOMAIN) return consoleAnswer(url, response);
  if (host === apiHost || host === OTHER_API_HOST || host === NEIGHBOUR_API_HOST) return apiAnswer(request, response);
  if (host === cognitoHost || host === OTHER_COGNITO_HOST) return cognitoAnswer(request, url, response);
  if (host === deployed.bucketHost) return bucketAnswer(request, url, response);
  response.writeHead(421, { 'content-type': 'text/plain' }).end(`not one of this test's hosts: ${host}`);
}

/** CloudFront: the bucket's files (the build's assets, and index.html and config.json as deployed) with the response headers policy's CSP. */
async function consoleAnswer(url: URL, response: ServerResponse): Promise<void> {
  if (url.pathname === '/config.json') {
    response.writeHead(200, { 'content-type': 'application/json', 'content-security-policy': deployed.csp }).end(JSON.stringify(deployed.config));
    return;
  }
  // The distribution's default root object is index.html.
  if (url.pathname === '/' || url.pathname === '/index.html') {
    response.writeHead(200, { 'content-type': 'text/html', 'content-security-policy': deployed.csp }).end(deployed.page);
    return;
  }
  const file = await consoleFile(url.pathname);
  // Origin access control: a key the bucket lacks is a 403.
  if (!file) return void response.writeHead(403, { 'content-type': 'text/plain' }).end('Access Denied');
  const headers = Object.fromEntries(Object.entries(file.headers ?? {}).map(([name, value]) => [name, String(value)]));
  response.writeHead(file.statusCode ?? 200, { ...headers, 'content-security-policy': deployed.csp }).end(file.isBase64Encoded ? Buffer.from(file.body ?? '', 'base64') : file.body);
}

/**
 * API Gateway: with CORS configured it answers preflights itself and adds the
 * CORS headers to the integration's answers, for the allowed origins only. The
 * request itself goes to the local stack, which runs the same handlers.
 */
function apiAnswer(request: IncomingMessage, response: ServerResponse): void {
  const cors = deployed.apiCors;
  const origin = request.headers.origin;
  const allowed = origin !== undefined && cors.AllowOrigins.includes(origin);
  if (request.method === 'OPTIONS' && request.headers['access-control-request-method']) {
    response
      .writeHead(
        204,
        allowed
          ? {
              'access-control-allow-origin': origin,
              'access-control-allow-methods': cors.AllowMethods.join(','),
              'access-control-allow-headers': cors.AllowHeaders.join(','),
              'access-control-max-age': String(cors.MaxAge),
            }
          : {},
      )
      .end();
    return;
  }
  const target = new URL(request.url ?? '/', stack.url);
  const upstream = httpRequest(target, { method: request.method, headers: { ...request.headers, host: target.host } }, (answer) => {
    response.writeHead(answer.statusCode ?? 502, { ...answer.headers, ...(allowed ? { 'access-control-allow-origin': origin, 'access-control-expose-headers': cors.ExposeHeaders.join(',') } : {}) });
    answer.pipe(response);
  });
  upstream.on('error', (error) => response.destroy(error));
  request.pipe(upstream);
}

/**
 * Cognito's managed login, as far as the console uses it: the authorize
 * endpoint signs the customer straight in and comes back with a code; the
 * token endpoint redeems it against the PKCE verifier and gives an access
 * token, here the local stack's, which its API accepts. The token endpoint
 * answers browsers' CORS requests, as Cognito's does for single-page apps.
 */
async function cognitoAnswer(request: IncomingMessage, url: URL, response: ServerResponse): Promise<void> {
  const json = (status: number, body: unknown): void => {
    response.writeHead(status, { 'content-type': 'application/json', ...(request.headers.origin ? { 'access-control-allow-origin': request.headers.origin } : {}) }).end(JSON.stringify(body));
  };
  if (request.method === 'GET' && url.pathname === '/oauth2/authorize') {
    const query = url.searchParams;
    const redirectUri = query.get('redirect_uri') ?? '';
    const challenge = query.get('code_challenge');
    if (
      query.get('response_type') !== 'code' ||
      query.get('client_id') !== deployed.config.userPoolClientId ||
      redirectUri !== `${consoleOrigin}/` ||
      query.get('code_challenge_method') !== 'S256' ||
      !challenge
    ) {
      return json(400, { error: 'invalid_request' });
    }
    const code = randomUUID();
    codes.set(code, { challenge, redirectUri });
    response.writeHead(302, { location: `${redirectUri}?${new URLSearchParams({ code, state: query.get('state') ?? '' })}` }).end();
    return;
  }
  if (request.method === 'POST' && url.pathname === '/oauth2/token') {
    const form = new URLSearchParams(await bodyOf(request));
    const grant = codes.get(form.get('code') ?? '');
    codes.delete(form.get('code') ?? '');
    const verified = grant !== undefined && (await challengeOf(form.get('code_verifier') ?? '')) === grant.challenge;
    if (form.get('grant_type') !== 'authorization_code' || form.get('client_id') !== deployed.config.userPoolClientId || !verified || form.get('redirect_uri') !== grant.redirectUri) {
      return json(400, { error: 'invalid_grant' });
    }
    return json(200, { access_token: await stack.token('customer', 'ACME'), token_type: 'Bearer', expires_in: 3600 });
  }
  json(404, { error: 'not_found' });
}

/** The report bucket: a presigned GET, with the bucket's CORS rules. */
function bucketAnswer(request: IncomingMessage, url: URL, response: ServerResponse): void {
  const origin = request.headers.origin;
  const rule = deployed.bucketCors.find((r) => r.AllowedMethods.includes(request.method ?? '') && (r.AllowedOrigins.includes('*') || (origin !== undefined && r.AllowedOrigins.includes(origin))));
  const cors = origin && rule ? { 'access-control-allow-origin': rule.AllowedOrigins.includes('*') ? '*' : origin } : {};
  if (request.method !== 'GET' || !url.searchParams.has('X-Amz-Signature'))
    return void response.writeHead(403, { 'content-type': 'application/xml', ...cors }).end('<Error><Code>AccessDenied</Code></Error>');
  response.writeHead(200, { 'content-type': 'text/csv', ...cors }).end('target,month,availabilityPercent\napi,2026-11,99.95\n');
}

/** A request a policy refused: which directive, what it refused, and which policy: CloudFront's header or the page's meta tag (a request both refuse is reported by each). */
interface Violation {
  readonly directive: string;
  readonly blocked: string;
  readonly policy: 'header' | 'page';
}

/** A window on the console's domain that reports every CSP violation, on every page it navigates to. */
async function consoleWindow(violations: Violation[]): Promise<Page> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  await context.exposeBinding('cspViolation', (_source, { directive, blocked, policy }: { directive: string; blocked: string; policy: string }) => {
    const which = policy === deployed.csp ? 'header' : policy === deployed.pagePolicy ? 'page' : undefined;
    if (!which) throw new Error(`a violation of a policy the console is not given: ${policy}`);
    violations.push({ directive, blocked, policy: which });
  });
  // Evaluated through the debugging protocol before the page's own scripts, so the page's CSP does not govern it.
  await context.addInitScript({
    content: "document.addEventListener('securitypolicyviolation', (e) => cspViolation({ directive: e.effectiveDirective, blocked: e.blockedURI, policy: e.originalPolicy }));",
  });
  return context.newPage();
}

/** Signs in through Cognito from the console's front page, and waits for the ticket list to show this ticket. */
async function signInAndSee(page: Page, ticketId: string, violations: readonly Violation[]): Promise<string> {
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const row = page.locator(`tr[data-ticket="${ticketId}"]`);
  await row.waitFor({ state: 'visible', timeout: 15_000 }).catch(async (error: unknown) => {
    throw new Error(`the ticket list did not load; CSP violations: ${JSON.stringify(violations)}; page says: ${await page.locator('body').textContent()}`, { cause: error });
  });
  return (await row.textContent()) ?? '';
}

/** A fetch from the page: what came back, or how it failed. */
const attemptIn = (page: Page, url: string) =>
  page.evaluate(async (input) => {
    try {
      const response = await fetch(input);
      return { status: response.status } as { status?: number; refused?: string };
    } catch (error) {
      return { refused: String(error) } as { status?: number; refused?: string };
    }
  }, url);

describe('the console as deployed, under the CSP as synthesised', () => {
  it('is told the API and the sign-in at their AWS hosts', () => {
    expect(deployed.config).toMatchObject({
      auth: 'cognito',
      apiUrl: `https://${API_ID}.execute-api.${REGION}.${URL_SUFFIX}/`,
      authUrl: `https://sla-desk-dev-${ACCOUNT}.auth.${REGION}.amazoncognito.com`,
      userPoolClientId: PEOPLE_CLIENT_ID,
    });
    expect(deployed.apiCors.AllowOrigins).toEqual([consoleOrigin]);
    // The header: the API's and the attachment bucket's hosts but for their names (naming them would be a dependency cycle), Cognito's and the report bucket's exact hosts.
    expect(deployed.csp).toContain(`; connect-src 'self' https://*.execute-api.${REGION}.${URL_SUFFIX} https://${cognitoHost} https://${deployed.bucketHost} https://*.s3.${REGION}.${URL_SUFFIX}; `);
    expect(deployed.csp.split('; ').at(-1)).toBe(`form-action 'self' https://${cognitoHost}`);
    // The page's own policy, written at deploy: the same, the API and the attachment bucket by their exact hosts.
    expect(deployed.pagePolicy).toBe(
      `connect-src 'self' https://${API_ID}.execute-api.${REGION}.${URL_SUFFIX} https://${cognitoHost} https://${deployed.bucketHost} https://${deployed.attachmentHost}`,
    );
    // Before the page's script, which it must govern; the rest is the build's page.
    expect(deployed.page.indexOf('http-equiv="Content-Security-Policy"')).toBeLessThan(deployed.page.indexOf('<script'));
    expect(deployed.page.replace(/\n *<meta http-equiv="Content-Security-Policy"[^>]*>/, '')).toBe(readFileSync(join(CONSOLE_BUILD, 'index.html'), 'utf8'));
  });

  it("a customer signs in through Cognito and their ticket list loads from the API's execute-api host", async () => {
    const acme = await stack.token('customer', 'ACME');
    const created = await stack.call('POST', '/tickets', { token: acme, body: aTicket({ title: 'Invoices stuck in the outbox' }) });
    expect(created.status).toBe(201);
    const ticketId = created.body.id as string;

    const violations: Violation[] = [];
    const page = await consoleWindow(violations);
    const served = await page.goto(`${consoleOrigin}/`);
    expect(served!.headers()['content-security-policy']).toBe(deployed.csp);
    expect(await served!.text()).toBe(deployed.page);
    expect(await signInAndSee(page, ticketId, violations)).toContain('Invoices stuck in the outbox');
    expect(violations).toEqual([]);
    // The sign-in went through Cognito's two endpoints, and the list came from the API host, asked from the console's origin.
    expect(seen.filter((s) => s.host === cognitoHost).map((s) => `${s.method} ${s.path}`)).toEqual(['GET /oauth2/authorize', 'POST /oauth2/token']);
    expect(seen.some((s) => s.host === apiHost && s.method === 'GET' && s.path === '/tickets' && s.origin === consoleOrigin)).toBe(true);
  });

  it("lets the page fetch Cognito's token endpoint, the report bucket's presigned URLs and config.json, and no other region's API or other user pool", async () => {
    const violations: Violation[] = [];
    const page = await consoleWindow(violations);
    await page.goto(`${consoleOrigin}/`);
    const presigned = `https://${deployed.bucketHost}/reports/2026-11/v1/availability.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIAEXAMPLE%2F20261201%2F${REGION}%2Fs3%2Faws4_request&X-Amz-Date=20261201T060000Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature=0f1e2d3c`;
    const fetched = await page.evaluate(
      async ({ token, presigned, otherApi, otherCognito }) => {
        const attempt = async (input: string, init?: RequestInit) => {
          try {
            const response = await fetch(input, init);
            return { status: response.status, body: await response.text() };
          } catch (error) {
            return { refused: String(error) };
          }
        };
        return {
          token: await attempt(token, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=authorization_code&code=none' }),
          presigned: await attempt(presigned),
          config: await attempt('/config.json'),
          otherApi: await attempt(otherApi),
          otherCognito: await attempt(otherCognito, { method: 'POST', body: 'grant_type=authorization_code&code=none' }),
        };
      },
      { token: `${deployed.config.authUrl}/oauth2/token`, presigned, otherApi: `https://${OTHER_API_HOST}/tickets`, otherCognito: `https://${OTHER_COGNITO_HOST}/oauth2/token` },
    );
    // Cognito answered (refusing the made-up code): the request left the page.
    expect(fetched.token).toEqual({ status: 400, body: JSON.stringify({ error: 'invalid_grant' }) });
    expect(fetched.presigned).toMatchObject({ status: 200, body: expect.stringContaining('api,2026-11') });
    expect(fetched.config).toMatchObject({ status: 200 });
    expect(JSON.parse((fetched.config as { body: string }).body)).toEqual(deployed.config);
    // The others are refused by both policies, before any request leaves the page; each reports it.
    expect(fetched.otherApi).toMatchObject({ refused: expect.stringContaining('Failed to fetch') });
    expect(fetched.otherCognito).toMatchObject({ refused: expect.stringContaining('Failed to fetch') });
    expect(seen.filter((s) => s.host === OTHER_API_HOST || s.host === OTHER_COGNITO_HOST)).toEqual([]);
    await expect
      .poll(() => violations, { timeout: 5_000 })
      .toEqual(
        [`https://${OTHER_API_HOST}/tickets`, `https://${OTHER_COGNITO_HOST}/oauth2/token`].flatMap((blocked) =>
          (['header', 'page'] as const).map((policy) => ({ directive: 'connect-src', blocked, policy })),
        ),
      );
  });

  it("refuses the page another API in the API's own region, which only the page's policy names apart, while its own API answers", async () => {
    const acme = await stack.token('customer', 'ACME');
    const created = await stack.call('POST', '/tickets', { token: acme, body: aTicket({ title: 'Exports time out at night' }) });
    expect(created.status).toBe(201);

    const violations: Violation[] = [];
    const page = await consoleWindow(violations);
    await page.goto(`${consoleOrigin}/`);
    expect(await signInAndSee(page, created.body.id as string, violations)).toContain('Exports time out at night');
    expect(violations).toEqual([]);
    const own = await attemptIn(page, `${deployed.config.apiUrl}health`);
    const neighbour = await attemptIn(page, `https://${NEIGHBOUR_API_HOST}/tickets`);
    expect(own).toEqual({ status: 200 });
    // CloudFront's header admits every execute-api host of the region (it cannot name the API's id); the page's own policy names it.
    expect(neighbour).toMatchObject({ refused: expect.stringContaining('Failed to fetch') });
    expect(seen.filter((s) => s.host === NEIGHBOUR_API_HOST)).toEqual([]);
    await expect.poll(() => violations, { timeout: 5_000 }).toEqual([{ directive: 'connect-src', blocked: `https://${NEIGHBOUR_API_HOST}/tickets`, policy: 'page' }]);
  });
});
