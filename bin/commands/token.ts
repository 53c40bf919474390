import { parseArgs } from 'node:util';
import type { Role } from '#domain/actor';
import { CUSTOMER_ID } from '#domain/identifiers';
import { isIntegrationId } from '#domain/integrations/integration';
import { MAX_ASSERTION_LIFETIME_SECONDS, signAssertion } from '#handlers/auth/integration-assertions';
import { demoIntegrationKey, issueDemoAssertion, issueToken, LOCAL_AUDIENCE, NoSigningKeyError, signingKey } from '../local/local-tokens';
import { DEFAULT_DATA_DIR } from '../local/data-dir';
import { CliUsageError, customerOption } from './cli-error';
import { readPrivateKeyFile } from './key-files';

export const tokenHelp = `Usage: sla-desk token --role <customer|agent|finance|admin> [--customer <id>] [--name <name>] [--email <email>] [--expires-in <span>]
       sla-desk token --machine
       sla-desk token --integration <id> --private-key <file> [--audience <audience>] [--expires-in <span>]

Prints a bearer token on its last line.

A person's token, for the local stack: signed with the key the stack made under
DATA_DIR (default .data, as for \`npm start\`). Set the same DATA_DIR the stack
runs with; with no stack's key there, it refuses.
  --role         customer, agent, finance or admin
  --customer     the customer id (required for customer), e.g. ACME
  --name         the person's name, as Cognito's name attribute gives it (default
                 the local person of the role: Ada Agent, Fiona Finance, Alan Admin;
                 a customer's Alice at ACME, Gus at GLOBEX, Dana at DEMO, else
                 Casey at <id>); --name "" gives none, as an onboarded account has
  --email        the person's email (default theirs: ada.agent@sla-desk.local,
                 alice@acme.example, casey@<id>.example, …)
  --expires-in   e.g. 15m, 12h (default 12h)
  The token's subject is local-<role> (local-customer-<id>), whatever the name:
  the API names that subject by the name and email of its latest token.

A customer's system (an integration): an assertion it signs with its own
private key, whose public key \`sla-desk onboard --integration\` registered;
valid at most 5 minutes.
  --machine      the local stack's demo integration local-demo (customer DEMO),
                 signed with its key under DATA_DIR
  --integration  the integration's id, e.g. acme-erp (the assertion's kid, iss and sub)
  --private-key  its private key: PEM (PKCS#8, SEC1 or PKCS#1) or a JWK;
                 EC P-256 signs ES256, RSA RS256
  --audience     the API's audience (aud): a deployed stage's is urn:sla-desk:<stage>,
                 its stack output IntegrationAudience (default ${LOCAL_AUDIENCE}, the local stack)
  --expires-in   e.g. 90s, 5m (default and at most 5m)`;

const ROLES: readonly Exclude<Role, 'system'>[] = ['customer', 'agent', 'finance', 'admin'];

export async function token(args: string[]): Promise<string> {
  const { values } = parseArgs({
    args,
    options: {
      role: { type: 'string' },
      customer: { type: 'string' },
      name: { type: 'string' },
      email: { type: 'string' },
      machine: { type: 'boolean' },
      integration: { type: 'string' },
      'private-key': { type: 'string' },
      audience: { type: 'string' },
      'expires-in': { type: 'string' },
    },
    strict: true,
  });
  // The arguments first: a usage mistake is said as such, whatever DATA_DIR holds.
  const dataDir = process.env.DATA_DIR ?? DEFAULT_DATA_DIR;
  const usable = <T>(key: Promise<T>) =>
    key.catch((error: unknown) => {
      throw error instanceof NoSigningKeyError ? new CliUsageError(error.message) : error;
    });
  if (values.machine) {
    const others = (['role', 'customer', 'name', 'email', 'integration', 'private-key', 'audience', 'expires-in'] as const).filter((o) => values[o] !== undefined).map((o) => `--${o}`);
    if (others.length) throw new CliUsageError(`--machine takes no ${others.join(', ')}: it is the local stack's demo integration of customer DEMO`);
    return issueDemoAssertion(await usable(demoIntegrationKey(dataDir, { create: false })));
  }
  if (values.integration !== undefined || values['private-key'] !== undefined || values.audience !== undefined) {
    if (values.role || values.customer || values.name !== undefined || values.email !== undefined)
      throw new CliUsageError('--integration takes no --role, --customer, --name or --email: it is a system, of the customer it was registered for');
    if (!isIntegrationId(values.integration)) throw new CliUsageError("--integration is required with --private-key: the integration's id, 3–48 lower-case letters, digits and dashes, e.g. acme-erp");
    if (!values['private-key']) throw new CliUsageError('--private-key is required with --integration: the file of the key the integration signs with');
    const lifetime = values['expires-in'] === undefined ? MAX_ASSERTION_LIFETIME_SECONDS : secondsOf(values['expires-in']);
    if (lifetime === undefined || lifetime > MAX_ASSERTION_LIFETIME_SECONDS) throw new CliUsageError('--expires-in for an assertion must look like 90s or 5m, at most 5m');
    const audience = values.audience ?? LOCAL_AUDIENCE;
    if (audience.trim() === '') throw new CliUsageError('--audience must not be empty');
    const { key, algorithm } = await readPrivateKeyFile('--private-key', values['private-key']);
    return signAssertion(key, { integrationId: values.integration, audience, algorithm, lifetimeSeconds: lifetime });
  }
  const role = values.role as Exclude<Role, 'system'>;
  if (!ROLES.includes(role)) throw new CliUsageError('--role must be customer, agent, finance or admin (or give --machine, or --integration)');
  if (role === 'customer') customerOption(values.customer, CUSTOMER_ID, '--customer is required for customers: their customer id, e.g. ACME');
  if (role !== 'customer' && values.customer) throw new CliUsageError('--customer is only for the customer role');
  if (values.email !== undefined && !/^[^\s@<>]+@[^\s@<>]+$/.test(values.email)) throw new CliUsageError(`--email ${values.email} is no email address, e.g. bea@provider.example`);
  if (values['expires-in'] !== undefined && !/^([1-9]\d{0,4}[smh]|[1-9]\d?d)$/.test(values['expires-in'])) throw new CliUsageError('--expires-in must look like 15m or 12h (at most 99d)');
  return issueToken(await usable(signingKey(dataDir, { create: false })), {
    role,
    ...(values.customer ? { customerId: values.customer } : {}),
    ...(values.name !== undefined ? { name: values.name.trim() } : {}),
    ...(values.email !== undefined ? { email: values.email } : {}),
    ...(values['expires-in'] ? { expiresIn: values['expires-in'] } : {}),
  });
}

/** `90s` or `5m` in seconds. */
function secondsOf(span: string): number | undefined {
  const match = /^([1-9]\d{0,3})([sm])$/.exec(span);
  if (!match) return undefined;
  return Number(match[1]) * (match[2] === 'm' ? 60 : 1);
}
