import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import * as z from 'zod/mini';
import { CloudFormationClient, DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { createDocumentClient } from '#adapters/dynamodb/client';
import { DynamoCustomerStore } from '#adapters/dynamodb/dynamo-customer-store';
import { DynamoIntegrationStore } from '#adapters/dynamodb/dynamo-integration-store';
import { CognitoUserDirectory } from '#adapters/identity/cognito-user-directory';
import { LocalUserDirectory } from '#adapters/identity/local-user-directory';
import type { UserAccount, UserDirectory } from '#adapters/identity/user-directory';
import { CALLER_ROLES, type CallerRole, personRole, PROVIDER_GROUPS } from '#domain/actor';
import { danishCalendar } from '#domain/calendar/danish-calendar';
import { CONTACT_PURPOSES, CustomerService, DEFAULT_HYPERCARE_WEEKS } from '#domain/customers/customer';
import { DomainError, InvalidInputError, NotFoundError, VersionConflictError } from '#domain/errors';
import { CUSTOMER_ID } from '#domain/identifiers';
import { IntegrationService, isIntegrationId } from '#domain/integrations/integration';
import { InvalidPublicKeyError, type PublicJwk, type RegisteredKey, registeredKey } from '#domain/integrations/public-key';
import { integrationAudience, MAX_ASSERTION_LIFETIME_SECONDS, REVOCATION_EFFECTIVE_WITHIN_SECONDS } from '#handlers/auth/integration-assertions';
import { integrationView, type IntegrationView } from '#handlers/http/integration-view';
import { customerInput, customerView } from '#handlers/http/put-customer';
import { CustomerProfileBody } from '#handlers/http/schemas';
import { issueToken, issueUserToken, LOCAL_AUDIENCE, NoSigningKeyError, signingKey } from '../local/local-tokens';
import { DEFAULT_DATA_DIR } from '../local/stack';
import { CliFailure, CliUsageError, customerOption } from './cli-error';
import { readPublicKeyFile } from './key-files';
import { DEFAULT_REGION, STAGE_NAME, STAGE_NAME_RULE, stackName as stackOf } from '../../lib/deployment-names';

export const onboardHelp = `Usage: sla-desk onboard --customer <id> [--name <name> [customer fields]] [--user <email>[:<role>]]...
                      [--integration <id> --public-key <file> | --revoke-integration <id>]
                      [--stage <stage> | --stack <name>] [--region <region>] | [--url <local stack>]

Onboards a customer: creates its record (as PUT /customers/{id} would), the
accounts of its first users, and registers (or revokes) the key of a system of
its own that calls the API. Safe to run again: what exists already and matches
is left as it is; what exists and differs is named, and nothing is changed.

The customer:
  --customer         its id: 2–16 capitals and digits, starting with a letter, e.g. ACME
  --name             its name, e.g. "Acme A/S"; without it the record must exist
                     already, and only the users are added
  --contact          a contact and what they receive, repeatable:
                       ops@acme.example:alerts,notices
                       "Ops Desk <ops@acme.example>:alerts"
                     purposes: ${CONTACT_PURPOSES.join(', ')} (default: all of them)
  --go-live          when it goes live, ISO 8601 with an offset, e.g. 2026-12-01T08:00:00+01:00;
                     hypercare starts then
  --hypercare-weeks  the agreed hypercare, 1–52 weeks (default ${DEFAULT_HYPERCARE_WEEKS}); needs --go-live
  --rate             the hourly consultancy rate, e.g. "1250.00 DKK"

The users (repeatable):
  --user             alice@acme.example               a user of the customer (role customer)
                     carol@provider.example:agent     provider staff: agent, finance or admin
                     "Ada Lovelace <ada@provider.example>:agent"
                                                      either, with the person's name
                     The name is the account's standard name attribute, which the
                     API names the person by; without one the provider's people
                     read them by email, a customer's people by their role. It is
                     given when the account is made: an account named otherwise
                     (or not at all) is a conflict.
                     A customer's user gets the account attribute custom:customer_id
                     (set once, at creation); staff get their group (agents,
                     finance, admins) and no customer.
  --resend           send the invitation again to listed users who have not signed in
                     yet (Cognito's temporary password lasts 3 days)

A system of the customer's own (an integration; no deploy, no app client):
  --integration      its id, e.g. acme-erp: 3–48 lower-case letters, digits and dashes.
                     Its assertions name it as kid, iss and sub.
  --public-key       the public key it signs with: a PEM file (BEGIN PUBLIC KEY) or a
                     JWK; EC P-256 (ES256) or RSA of 2048 bits or more (RS256). Never
                     the private key: that stays with the customer's system.
  --revoke-integration
                     revoke the integration of that id (of this customer), for ever:
                     refused within a minute on a deployed stage, at once locally. A new
                     key is registered under a new id (register it, switch, then revoke).
  The customer's system then calls the API with a JWT it signs itself, valid at
  most ${MAX_ASSERTION_LIFETIME_SECONDS / 60} minutes: header kid = the id; iss = sub = the id; aud = the
  stage's audience (urn:sla-desk:<stage>, the stack output IntegrationAudience);
  iat, exp. \`sla-desk token --integration <id> --private-key <file>\` makes one.

Where (a deployed stage when --stage or --stack is given, else the local stack):
  --stage            the stage deployed with -c stage=<stage>: the stack SlaDesk-<stage>
  --stack            the CloudFormation stack's name, e.g. SlaDesk-prod
  --region           the stack's region (default ${DEFAULT_REGION}, where the CDK app deploys)
  --url              the local stack (default http://localhost:$PORT, PORT 3000), run
                     with the same DATA_DIR as this command (default .data)

On a deployed stage it uses your AWS credentials (the usual AWS_PROFILE etc.):
it reads the stack's outputs, writes the customer record to its table with the
same checks as the API (an API call would need an admin's MFA sign-in), and
makes each account with Cognito AdminCreateUser, email as username and verified,
and the name if given.
Cognito emails each new user a temporary password, valid 3 days; on first
sign-in they choose a password and set up an authenticator app (MFA).
Needs cloudformation:DescribeStacks on the stack, dynamodb:GetItem and PutItem
on the table (and UpdateItem to revoke an integration), kms:Decrypt and
kms:GenerateDataKey on its key (the table is encrypted with it), and
cognito-idp:AdminGetUser, AdminListGroupsForUser, AdminCreateUser (also to
resend) and AdminAddUserToGroup on the user pool.

Locally it creates the record through the local API (PUT /customers/{id}, as an
admin signed with the stack's key under DATA_DIR), registers an integration
there too (PUT /integrations/{id}, POST /integrations/{id}/revoke), and records the accounts in
DATA_DIR/users.json (with their names); each can then sign in locally as themselves:
  curl -X POST localhost:3000/_dev/token -H 'content-type: application/json' -d '{"email":"alice@acme.example"}'
and the last line carries a ready bearer token for each.

The last line printed is one JSON object: the target, the customer as stored
and what was done to it, per user their role, sub and what was done, and the
integration as registered, with the audience its assertions name.
Bad arguments exit with code 2; a conflict with what exists, or a refusal by
AWS, with code 1; nothing is changed unless every check passes first.`;

type CustomerBody = z.infer<typeof CustomerProfileBody>;
type CustomerView = ReturnType<typeof customerView>;

/** Where the customer's record lives: the local API, or the deployed table. */
interface CustomerRecords {
  get(customerId: string): Promise<CustomerView | undefined>;
  create(customerId: string, body: CustomerBody): Promise<CustomerView>;
}

/** Where integrations are registered: the local API, or the deployed table. */
interface IntegrationRecords {
  get(integrationId: string): Promise<IntegrationView | undefined>;
  register(integrationId: string, customerId: string, publicKey: PublicJwk): Promise<IntegrationView>;
  revoke(integrationId: string): Promise<IntegrationView>;
}

interface Target {
  readonly description: Record<string, string>;
  readonly customers: CustomerRecords;
  readonly integrations: IntegrationRecords;
  /** What an integration's assertions must name as aud here, when known. */
  readonly audience?: string;
  /** How soon a revocation is refused here. */
  readonly revocation: string;
  readonly users: UserDirectory;
  /** Locally, a ready token for an account. */
  readonly tokenFor?: (account: UserAccount) => Promise<string>;
  /** What a new user is told happens next. */
  readonly invitation: string;
  close(): void;
}

interface WantedUser {
  readonly email: string;
  readonly role: CallerRole;
  /** Their name, as the pool's `name` attribute: the API names them by it. */
  readonly name?: string;
}

/** An integration to register with its key, or to revoke. */
type WantedIntegration = { readonly kind: 'register'; readonly integrationId: string; readonly key: RegisteredKey } | { readonly kind: 'revoke'; readonly integrationId: string };

/** For tests: DynamoDB Local's endpoint in place of the deployed table's. */
export interface OnboardParts {
  readonly dynamoEndpoint?: string;
}

export async function onboard(args: string[], parts: OnboardParts = {}): Promise<string> {
  const { values } = parseArgs({
    args,
    options: {
      customer: { type: 'string' },
      name: { type: 'string' },
      contact: { type: 'string', multiple: true },
      'go-live': { type: 'string' },
      'hypercare-weeks': { type: 'string' },
      rate: { type: 'string' },
      user: { type: 'string', multiple: true },
      stage: { type: 'string' },
      stack: { type: 'string' },
      region: { type: 'string' },
      url: { type: 'string' },
      resend: { type: 'boolean' },
      integration: { type: 'string' },
      'public-key': { type: 'string' },
      'revoke-integration': { type: 'string' },
    },
    strict: true,
  });
  const customerId = customerOption(values.customer, CUSTOMER_ID, '--customer is required: 2–16 capitals and digits, starting with a letter, e.g. ACME');
  const body = customerBody(values);
  const users = (values.user ?? []).map(wantedUser);
  const duplicate = users.find((u, i) => users.findIndex((v) => v.email === u.email) !== i);
  if (duplicate) throw new CliUsageError(`--user ${duplicate.email} is given twice`);
  const integration = await wantedIntegration(values);
  if (!body && users.length === 0 && !integration) throw new CliUsageError('nothing to do: give --name to create the record, --user for its users, --integration with --public-key for its system');
  if (values.stage !== undefined && values.stack !== undefined) throw new CliUsageError('give --stage or --stack, not both');
  if (values.stage !== undefined && !STAGE_NAME.test(values.stage)) throw new CliUsageError(`--stage must be ${STAGE_NAME_RULE}, e.g. prod`);
  const stackName = values.stack ?? (values.stage !== undefined ? stackOf(values.stage) : undefined);
  if (stackName !== undefined && values.url !== undefined) throw new CliUsageError('--url is the local stack: give it without --stage or --stack');
  if (stackName === undefined && values.region !== undefined) throw new CliUsageError('--region is for a deployed stage: give --stage or --stack with it');

  const target = stackName ? await deployedTarget(stackName, values.region ?? DEFAULT_REGION, parts, values.stage) : await localTarget(values.url ?? `http://localhost:${process.env.PORT ?? 3000}`);
  try {
    return await onboardOn(target, customerId, body, users, values.resend === true, integration);
  } catch (error) {
    throw asFailure(error);
  } finally {
    target.close();
  }
}

/** Checks everything first, then changes what is missing: a conflict changes nothing. */
async function onboardOn(target: Target, customerId: string, body: CustomerBody | undefined, wanted: readonly WantedUser[], resend: boolean, integration?: WantedIntegration): Promise<string> {
  const existing = await target.customers.get(customerId);
  const conflicts: string[] = [];
  if (!existing && !body) conflicts.push(`customer ${customerId} has no record yet: give --name (and its contacts) to create it with its users`);
  if (existing && body) {
    const differs = differences(body, existing);
    if (differs.length) conflicts.push(`customer ${customerId} exists with another ${differs.join(', ')}: change it with PUT /customers/${customerId} (If-Match "${existing.version}")`);
  }
  const plans = [];
  for (const user of wanted) {
    const plan = planUser(user, customerId, await target.users.find(user.email));
    if (typeof plan === 'string') conflicts.push(plan);
    else plans.push(plan);
  }
  const registered = integration ? await target.integrations.get(integration.integrationId) : undefined;
  const integrationConflict = integration && planIntegration(integration, customerId, registered);
  if (integrationConflict) conflicts.push(integrationConflict);
  if (conflicts.length) throw new CliFailure(`nothing changed: ${conflicts.join('; ')}`);

  const lines: string[] = [];
  let customer = existing;
  let customerAction = 'unchanged';
  if (!customer) {
    customer = await target.customers.create(customerId, body!);
    customerAction = 'created';
  }
  lines.push(`customer ${customerId} (${customer.name}): ${customerAction}`);
  const done = [];
  for (const plan of plans) {
    let account = plan.account ?? (await target.users.create(plan.email, plan.role === 'customer' ? customerId : undefined, plan.name));
    if (plan.group) {
      await target.users.addToGroup(plan.email, plan.group);
      account = { ...account, groups: [...account.groups, plan.group] };
    }
    // An invitation not yet taken up (its temporary password lasts 3 days) is sent again only when asked.
    const invited = plan.account?.status === 'FORCE_CHANGE_PASSWORD';
    if (invited && resend) await target.users.resendInvitation(plan.email);
    const action = !plan.account
      ? 'created'
      : [plan.group ? `added to ${plan.group}` : 'unchanged', ...(invited ? [resend ? 'invitation sent again' : 'invitation not yet taken up (--resend sends it again)'] : [])].join('; ');
    const who = `${account.name ? `${account.name}, ` : ''}${plan.role === 'customer' ? `a user of ${customerId}` : plan.role}`;
    lines.push(`user ${plan.email} (${who}): ${action}${!plan.account ? `; ${target.invitation}` : ''}`);
    done.push({
      email: plan.email,
      ...(account.name ? { name: account.name } : {}),
      role: plan.role,
      sub: account.sub,
      status: account.status,
      action,
      ...(target.tokenFor ? { token: await target.tokenFor(account) } : {}),
    });
  }
  let integrationDone: Record<string, unknown> | undefined;
  if (integration) {
    const id = integration.integrationId;
    let view = registered;
    let action: string;
    if (integration.kind === 'register') {
      action = view ? 'unchanged' : 'registered';
      view ??= await target.integrations.register(id, customerId, integration.key.publicKey);
      const names = `its system signs assertions with kid, iss and sub ${id}${target.audience ? ` and aud ${target.audience}` : ''}, valid at most ${MAX_ASSERTION_LIFETIME_SECONDS / 60} minutes`;
      lines.push(`integration ${id} (${view.algorithm}, key thumbprint ${view.thumbprint}): ${action}; ${names}`);
    } else {
      action = view!.status === 'revoked' ? 'revoked already' : 'revoked';
      if (view!.status !== 'revoked') view = await target.integrations.revoke(id);
      lines.push(`integration ${id}: ${action} at ${view!.revokedAt}; ${target.revocation}`);
    }
    integrationDone = { ...view!, ...(target.audience ? { audience: target.audience } : {}), action };
  }
  lines.push(JSON.stringify({ target: target.description, customer: { ...customer, action: customerAction }, users: done, ...(integrationDone ? { integration: integrationDone } : {}) }));
  return lines.join('\n');
}

/** Why the integration cannot be registered or revoked as asked, if it cannot. */
function planIntegration(wanted: WantedIntegration, customerId: string, registered: IntegrationView | undefined): string | undefined {
  const id = wanted.integrationId;
  if (wanted.kind === 'revoke') {
    if (!registered) return `no integration ${id} is registered`;
    if (registered.customerId !== customerId) return `integration ${id} is registered to customer ${registered.customerId}, not ${customerId}`;
    return undefined;
  }
  if (!registered) return undefined;
  if (registered.customerId !== customerId) return `integration ${id} is registered to customer ${registered.customerId}, not ${customerId}: choose another id`;
  if (registered.thumbprint !== wanted.key.thumbprint) {
    return `integration ${id} is registered with another key (thumbprint ${registered.thumbprint}): register the new key under a new id (e.g. ${id}-2), switch the system to it, then --revoke-integration ${id}`;
  }
  if (registered.status === 'revoked') return `integration ${id} was revoked at ${registered.revokedAt}: register the key under a new id`;
  return undefined;
}

/** --integration with --public-key (read and checked here, before anything is asked), or --revoke-integration. */
async function wantedIntegration(values: { integration?: string; 'public-key'?: string; 'revoke-integration'?: string; name?: string; user?: string[] }): Promise<WantedIntegration | undefined> {
  const revoke = values['revoke-integration'];
  if (revoke !== undefined) {
    if (values.integration !== undefined || values['public-key'] !== undefined)
      throw new CliUsageError('--revoke-integration takes no --integration or --public-key: revoke in one run, register in another');
    if (values.name !== undefined || values.user !== undefined) throw new CliUsageError('--revoke-integration takes no --name or --user: it only revokes');
    if (!isIntegrationId(revoke)) throw new CliUsageError(`--revoke-integration ${JSON.stringify(revoke)}: an integration id is 3–48 lower-case letters, digits and dashes, e.g. acme-erp`);
    return { kind: 'revoke', integrationId: revoke };
  }
  if (values.integration === undefined && values['public-key'] === undefined) return undefined;
  if (values.integration === undefined) throw new CliUsageError('--public-key needs --integration: the id its system names itself with, e.g. acme-erp');
  if (!isIntegrationId(values.integration))
    throw new CliUsageError(`--integration ${JSON.stringify(values.integration)}: 3–48 lower-case letters, digits and dashes, starting with a letter, e.g. acme-erp`);
  if (values['public-key'] === undefined) throw new CliUsageError('--integration needs --public-key: the file of the public key its system signs with (PEM or JWK)');
  const jwk = await readPublicKeyFile('--public-key', values['public-key']);
  try {
    return { kind: 'register', integrationId: values.integration, key: registeredKey(jwk) };
  } catch (error) {
    if (error instanceof InvalidPublicKeyError) throw new CliUsageError(`--public-key ${values['public-key']}: ${error.message}`);
    throw error;
  }
}

/**
 * What is to be done for a user, or why it cannot be: an account must end up
 * with exactly the role asked for, as the token trigger decides it.
 */
function planUser(user: WantedUser, customerId: string, account: UserAccount | undefined): (WantedUser & { account?: UserAccount; group?: string }) | string {
  const group = PROVIDER_GROUPS.find(([, role]) => role === user.role)?.[0];
  if (!account) return { ...user, ...(group ? { group } : {}) };
  const wantedCustomer = user.role === 'customer' ? customerId : undefined;
  if (account.customerId !== wantedCustomer) {
    if (account.customerId) return `${user.email} is a user of customer ${account.customerId}${user.role === 'customer' ? '' : ': provider staff need an account with no customer'}`;
    return `${user.email} has an account with no customer: a user of ${customerId} needs an account made with it (the attribute is set at creation only)`;
  }
  if (user.name !== undefined && account.name !== user.name) {
    const has = account.name ? `is named ${JSON.stringify(account.name)}` : 'has no name';
    return `${user.email} ${has}, not ${JSON.stringify(user.name)}: a name is given when the account is made; change it in the user pool (aws cognito-idp admin-update-user-attributes, Name=name), or give the user without one`;
  }
  if (!account.enabled) return `${user.email} has a disabled account: enable it first (aws cognito-idp admin-enable-user), if they are to sign in again`;
  const otherGroups = account.groups.filter((g) => g !== group && PROVIDER_GROUPS.some(([provider]) => provider === g));
  if (otherGroups.length) return `${user.email} is in ${otherGroups.join(', ')}, so signs in as ${personRole(account.groups, account.customerId)?.role}, not ${user.role}`;
  return { ...user, account, ...(group && !account.groups.includes(group) ? { group } : {}) };
}

/** The fields the command sets that the stored record has otherwise (contacts in any order). */
function differences(body: CustomerBody, existing: CustomerView): string[] {
  const stored: CustomerBody = {
    name: existing.name,
    contacts: existing.contacts.map((c) => ({ ...c, receives: [...c.receives] })),
    ...(existing.goLiveAt ? { goLiveAt: existing.goLiveAt } : {}),
    ...(existing.hypercareWeeks ? { hypercareWeeks: existing.hypercareWeeks } : {}),
    ...(existing.consultancyRate ? { consultancyRate: existing.consultancyRate } : {}),
  };
  const [a, b] = [customerInput(body), customerInput(stored)].map((input) => ({
    name: input.name,
    contacts: JSON.stringify(input.contacts.map((c) => ({ email: c.email.toLowerCase(), name: c.name ?? null, receives: [...c.receives].sort() })).sort((x, y) => x.email.localeCompare(y.email))),
    'go-live': input.goLiveAt ?? null,
    'hypercare weeks': input.goLiveAt === undefined ? null : (input.hypercareWeeks ?? DEFAULT_HYPERCARE_WEEKS),
    'consultancy rate': input.consultancyRate ? `${input.consultancyRate.hourly} ${input.consultancyRate.currency}` : null,
  }));
  return Object.keys(a!).filter((field) => a![field as keyof typeof a] !== b![field as keyof typeof b]);
}

/** The put-customer body the options make, checked with the route's own schema; none without --name. */
function customerBody(values: { name?: string; contact?: string[]; 'go-live'?: string; 'hypercare-weeks'?: string; rate?: string }): CustomerBody | undefined {
  if (values.name === undefined) {
    const fields = (['contact', 'go-live', 'hypercare-weeks', 'rate'] as const).filter((o) => values[o] !== undefined).map((o) => `--${o}`);
    if (fields.length) throw new CliUsageError(`${fields.join(', ')} set the customer's record: give --name with them`);
    return undefined;
  }
  const weeks = values['hypercare-weeks'];
  if (weeks !== undefined && !/^\d{1,3}$/.test(weeks)) throw new CliUsageError('--hypercare-weeks must be a whole number of weeks, 1–52');
  let rate: { hourly: string; currency: string } | undefined;
  if (values.rate !== undefined) {
    const match = /^(\S+?)\s*([A-Z]{3})$/.exec(values.rate.trim());
    if (!match) throw new CliUsageError('--rate must be an amount and its currency, e.g. "1250.00 DKK"');
    rate = { hourly: match[1]!, currency: match[2]! };
  }
  const parsed = CustomerProfileBody.safeParse({
    name: values.name,
    contacts: (values.contact ?? []).map(contactOf),
    ...(values['go-live'] !== undefined ? { goLiveAt: values['go-live'] } : {}),
    ...(weeks !== undefined ? { hypercareWeeks: Number(weeks) } : {}),
    ...(rate ? { consultancyRate: rate } : {}),
  });
  if (!parsed.success) throw new CliUsageError(parsed.error.issues.map((issue) => `${optionOf(issue.path)}${issue.message}`).join('; '));
  try {
    customerInput(parsed.data);
  } catch (error) {
    if (error instanceof InvalidInputError) throw new CliUsageError(`--rate: ${error.message}`);
    throw error;
  }
  return parsed.data;
}

/** `ops@acme.example:alerts,notices` or `Ops Desk <ops@acme.example>:alerts`; no purposes: all of them. */
function contactOf(text: string): unknown {
  const match = /^(?:(?<name>[^<>]*?)\s*<(?<angled>[^<>\s]+)>|(?<bare>[^<>\s:]+))(?::(?<purposes>[^:]*))?$/.exec(text.trim());
  if (!match) throw new CliUsageError(`--contact ${JSON.stringify(text)}: expected ops@acme.example:alerts,notices or "Ops Desk <ops@acme.example>:alerts"`);
  const { name, angled, bare, purposes } = match.groups!;
  const receives = purposes === undefined || purposes === 'all' ? [...CONTACT_PURPOSES] : purposes.split(',').map((p) => p.trim());
  return { email: angled ?? bare, ...(name ? { name } : {}), receives };
}

const OPTION_OF_FIELD: Record<string, string> = { name: '--name', contacts: '--contact', goLiveAt: '--go-live', hypercareWeeks: '--hypercare-weeks', consultancyRate: '--rate' };

/** Which option a schema issue is about: `--contact 2: receives.0 …`. */
function optionOf(path: readonly PropertyKey[]): string {
  const [field, index, ...rest] = path;
  const option = OPTION_OF_FIELD[String(field)];
  if (!option) return '';
  if (field === 'contacts' && typeof index === 'number') {
    const [part, n] = rest;
    return `${option} ${index + 1}: ${part === 'receives' && typeof n === 'number' ? `purpose ${n + 1}: ` : part ? `${String(part)}: ` : ''}`;
  }
  return `${option}: `;
}

/** `alice@acme.example` (a user of the customer), `carol@provider.example:agent`, or either with a name: `Ada Lovelace <ada@provider.example>:agent`. */
function wantedUser(text: string): WantedUser {
  const match = /^(?:(?<name>[^<>]*?)\s*<(?<angled>[^<>\s]+)>|(?<bare>[^<>\s:]+))(?::(?<role>[^:<>]*))?$/.exec(text.trim());
  const email = match?.groups?.angled ?? match?.groups?.bare ?? '';
  if (!z.email().safeParse(email).success)
    throw new CliUsageError(`--user ${JSON.stringify(text)}: not an email address; e.g. alice@acme.example, carol@provider.example:agent or "Ada Lovelace <ada@provider.example>:agent"`);
  const role = match!.groups!.role ?? 'customer';
  const known = CALLER_ROLES.find((r) => r === role);
  if (!known) throw new CliUsageError(`--user ${JSON.stringify(text)}: the role is one of ${CALLER_ROLES.join(', ')}`);
  const name = match!.groups!.name?.trim();
  // Sign-in names are case-sensitive in the pool: one spelling for everyone.
  return { email: email.toLowerCase(), role: known, ...(name ? { name } : {}) };
}

/** The local stack: the record through its API, accounts in DATA_DIR/users.json. */
async function localTarget(url: string): Promise<Target> {
  if (!/^https?:\/\/[^/\s]+\/?$/.test(url)) throw new CliUsageError("--url must be the local stack's address, e.g. http://localhost:3000");
  const dataDir = process.env.DATA_DIR ?? DEFAULT_DATA_DIR;
  const key = await signingKey(dataDir, { create: false }).catch((error: unknown) => {
    throw error instanceof NoSigningKeyError ? new CliUsageError(error.message) : error;
  });
  const token = await issueToken(key, { role: 'admin', subject: 'local-onboard', expiresIn: '15m' });
  const base = url.replace(/\/$/, '');
  async function call(method: string, path: string, body?: unknown): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    } catch {
      throw new CliUsageError(`no local stack answers at ${base}: start it (npm start) or give its --url; for a deployed stage give --stage or --stack`);
    }
    if (response.status === 401) throw new CliUsageError(`the stack at ${base} refused a token signed with the key under DATA_DIR=${dataDir}: set DATA_DIR to the one it runs with`);
    return response;
  }
  const refused = async (response: Response, what: string) => {
    const problem = (await response.json().catch(() => ({}))) as { detail?: string; title?: string };
    return new CliFailure(`the local stack refused to ${what}: ${response.status} ${problem.detail ?? problem.title ?? ''}`.trim());
  };
  return {
    description: { stack: 'local', url: base, dataDir },
    audience: LOCAL_AUDIENCE,
    revocation: 'refused at once on the local stack (its authorizer caches nothing)',
    integrations: {
      async get(integrationId) {
        const response = await call('GET', `/integrations/${integrationId}`);
        if (response.status === 404) return undefined;
        if (!response.ok) throw await refused(response, `read integration ${integrationId}`);
        return (await response.json()) as IntegrationView;
      },
      async register(integrationId, customerId, publicKey) {
        const response = await call('PUT', `/integrations/${integrationId}`, { customerId, publicKey });
        if (!response.ok) throw await refused(response, `register integration ${integrationId}`);
        return (await response.json()) as IntegrationView;
      },
      async revoke(integrationId) {
        const response = await call('POST', `/integrations/${integrationId}/revoke`);
        if (!response.ok) throw await refused(response, `revoke integration ${integrationId}`);
        return (await response.json()) as IntegrationView;
      },
    },
    customers: {
      async get(customerId) {
        const response = await call('GET', `/customers/${customerId}`);
        if (response.status === 404) return undefined;
        if (!response.ok) throw await refused(response, `read customer ${customerId}`);
        return (await response.json()) as CustomerView;
      },
      async create(customerId, body) {
        const response = await call('PUT', `/customers/${customerId}`, body);
        if (!response.ok) throw await refused(response, `create customer ${customerId}`);
        return (await response.json()) as CustomerView;
      },
    },
    users: new LocalUserDirectory(dataDir),
    tokenFor: (account) => issueUserToken(key, account),
    invitation: `signs in locally with POST /_dev/token {"email": …}`,
    close: () => undefined,
  };
}

/** A deployed stage: its outputs name the table and the user pool. */
async function deployedTarget(stackName: string, region: string, parts: OnboardParts, stage?: string): Promise<Target> {
  const cloudFormation = new CloudFormationClient({ region });
  let stack: Stack | undefined;
  try {
    stack = (await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
  } catch (error) {
    // CloudFormation says a missing stack with a ValidationError.
    if ((error as Error).name !== 'ValidationError') throw asFailure(error);
  } finally {
    cloudFormation.destroy();
  }
  if (!stack) throw new CliUsageError(`no stack ${stackName} in ${region}: deploy it first (npx cdk deploy -c stage=…), or give --region`);
  const outputs = Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
  const { TableName: tableName, UserPoolId: userPoolId, ConsoleUrl: consoleUrl, IntegrationAudience: audienceOutput } = outputs;
  if (!tableName || !userPoolId) throw new CliFailure(`stack ${stackName} has no TableName or UserPoolId output: is it an sla-desk stack, deployed completely?`);

  const db = createDocumentClient({ region, ...(parts.dynamoEndpoint ? { endpoint: parts.dynamoEndpoint } : {}) });
  const cognito = new CognitoIdentityProviderClient({ region });
  const calendar = danishCalendar();
  const store = new DynamoCustomerStore(db, tableName);
  const service = new CustomerService({ customers: store, now: Date.now });
  const integrations = new IntegrationService({ integrations: new DynamoIntegrationStore(db, tableName), customers: store, now: Date.now });
  // The audit trail names who onboarded: no person's token is involved, so the operator's login.
  const operator = { subject: `onboard:${operatorName()}`, role: 'admin' as const };
  const audience = audienceOutput ?? (stage !== undefined ? integrationAudience(stage) : undefined);
  return {
    description: { stack: stackName, region, tableName, userPoolId, ...(consoleUrl ? { consoleUrl } : {}) },
    ...(audience ? { audience } : {}),
    revocation: `refused within ${REVOCATION_EFFECTIVE_WITHIN_SECONDS} s (the authorizer keeps a record 30 s, API Gateway an answer 30 s)`,
    // Straight to the table, with the API's checks (an API call would need an admin's MFA sign-in).
    integrations: {
      get: (integrationId) =>
        integrations.get(operator, integrationId).then(
          (i) => integrationView(i, calendar),
          (error: unknown) => (error instanceof NotFoundError ? undefined : Promise.reject(error)),
        ),
      register: async (integrationId, customerId, publicKey) => integrationView((await integrations.register(operator, integrationId, { customerId, publicKey })).integration, calendar),
      revoke: async (integrationId) => integrationView((await integrations.revoke(operator, integrationId)).integration, calendar),
    },
    customers: {
      async get(customerId) {
        const profile = await store.getCustomer(customerId);
        return profile && customerView(profile, Date.now(), calendar);
      },
      async create(customerId, body) {
        // At version 0: only if nobody made it since it was read.
        return customerView(await service.put(operator, customerId, customerInput(body), 0), Date.now(), calendar);
      },
    },
    users: new CognitoUserDirectory(cognito, userPoolId),
    invitation: `Cognito emailed a temporary password (valid 3 days)${consoleUrl ? `; sign in at ${consoleUrl}` : ''}`,
    close: () => {
      db.destroy();
      cognito.destroy();
    },
  };
}

/** The login running the command; a container may have no user entry for it. */
function operatorName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'operator';
  }
}

/** AWS's refusals and lost races as one line each; the rest as they are. */
function asFailure(error: unknown): unknown {
  if (error instanceof CliUsageError || error instanceof CliFailure) return error;
  if (error instanceof VersionConflictError) return new CliFailure(`someone changed the customer meanwhile: run the command again (${error.message})`);
  // Checked before anything changed; one that came true meanwhile (a registration by someone else) is said as it is.
  if (error instanceof DomainError) return new CliFailure(`${error.message}; whatever was done before stays, the same command again finishes the rest`);
  const e = error as Error & { $metadata?: unknown };
  if (e?.$metadata !== undefined || e?.name === 'CredentialsProviderError') {
    return new CliFailure(`AWS refused: ${e.name}: ${e.message}. Whatever was done before stays; the same command again finishes the rest`);
  }
  return error;
}
