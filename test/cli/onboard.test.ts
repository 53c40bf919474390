import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { decodeJwt, exportJWK, exportPKCS8, exportSPKI, generateKeyPair } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CliFailure, CliUsageError } from '../../bin/commands/cli-error';
import { onboard } from '../../bin/commands/onboard';
import { LOCAL_AUDIENCE } from '../../bin/local/local-tokens';
import { signAssertion } from '#handlers/auth/integration-assertions';
import { aTicket, startTestStack, type TestStack } from '../support/test-stack';
import { runCli } from '../support/cli';

let stack: TestStack;
let admin: string;

beforeAll(async () => {
  stack = await startTestStack();
  admin = await stack.token('admin');
});
afterAll(() => stack.stop());

/** The last line the command printed: its JSON summary. */
const summary = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!);

describe('sla-desk onboard on the local stack', () => {
  const run = (...args: string[]) => runCli(['onboard', '--url', stack.url, ...args], { ...process.env, DATA_DIR: stack.dataDir });
  const acme = ['--customer', 'ACME', '--name', 'Acme A/S', '--contact', 'Ops Desk <ops@acme.example>:alerts,notices', '--go-live', '2026-12-01T08:00:00+01:00', '--hypercare-weeks', '6'];
  const signIn = (email: string) => stack.call('POST', '/_dev/token', { body: { email } });

  it('creates the record through the API and accounts that sign in as themselves, seeing only their customer', async () => {
    const { code, stdout, stderr } = await run(...acme, '--user', 'Alice@Acme.example', '--user', 'carol@provider.example:agent');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const done = summary(stdout);
    expect(done.customer).toMatchObject({ customerId: 'ACME', action: 'created', version: 1 });
    expect(done.users).toMatchObject([
      { email: 'alice@acme.example', role: 'customer', action: 'created' },
      { email: 'carol@provider.example', role: 'agent', action: 'created' },
    ]);

    const record = await stack.call('GET', '/customers/ACME', { token: admin });
    expect(record.status).toBe(200);
    expect(record.body).toMatchObject({
      name: 'Acme A/S',
      contacts: [{ email: 'ops@acme.example', name: 'Ops Desk', receives: ['alerts', 'notices'] }],
      goLiveAt: '2026-12-01T08:00:00.000+01:00',
      hypercareWeeks: 6,
    });
    const users = JSON.parse(await readFile(join(stack.dataDir, 'users.json'), 'utf8')).users;
    expect(users).toEqual([
      { email: 'alice@acme.example', sub: done.users[0].sub, customerId: 'ACME', groups: [], status: 'CONFIRMED', enabled: true },
      { email: 'carol@provider.example', sub: done.users[1].sub, groups: ['agents'], status: 'CONFIRMED', enabled: true },
    ]);

    // The local sign-in gives Alice her own account's token, through the user pool's trigger.
    const alice = (await signIn('alice@acme.example')).body.token as string;
    expect(decodeJwt(alice)).toMatchObject({ sub: done.users[0].sub, customer_id: 'ACME', scope: 'aws.cognito.signin.user.admin sla-desk/customer' });
    expect(decodeJwt(done.users[0].token)).toMatchObject({ sub: done.users[0].sub, customer_id: 'ACME' });
    const ticket = await stack.call('POST', '/tickets', { token: alice, body: aTicket() });
    expect(ticket.status).toBe(201);
    expect(ticket.body.id).toBe('ACME-1');
    expect((await stack.call('GET', '/customers/ACME', { token: alice })).status).toBe(200);
    expect((await stack.call('GET', '/customers/GLOBEX', { token: alice })).status).toBe(404);

    // Another customer's first user sees none of ACME's tickets; the agent sees them all.
    expect((await run('--customer', 'GLOBEX', '--name', 'Globex', '--user', 'bob@globex.example')).code).toBe(0);
    const bob = (await signIn('bob@globex.example')).body.token as string;
    expect((await stack.call('GET', '/tickets/ACME-1', { token: bob })).status).toBe(404);
    expect((await stack.call('GET', '/tickets', { token: bob })).body.items).toEqual([]);
    const carol = (await signIn('carol@provider.example')).body.token as string;
    expect(decodeJwt(carol)).toMatchObject({ sub: done.users[1].sub, 'cognito:groups': ['agents'], scope: 'aws.cognito.signin.user.admin sla-desk/agent' });
    expect((await stack.call('GET', '/tickets', { token: carol })).body.items.map((t: { id: string }) => t.id)).toEqual(['ACME-1']);

    expect((await signIn('mallory@acme.example')).status).toBe(404);
  });

  it('run again with the same arguments, changes nothing and succeeds', async () => {
    const before = await readFile(join(stack.dataDir, 'users.json'), 'utf8');
    const { code, stdout } = await run(...acme, '--user', 'alice@acme.example', '--user', 'carol@provider.example:agent');
    expect(code).toBe(0);
    const done = summary(stdout);
    expect(done.customer).toMatchObject({ action: 'unchanged', version: 1 });
    expect(done.users.map((u: { action: string }) => u.action)).toEqual(['unchanged', 'unchanged']);
    expect(await readFile(join(stack.dataDir, 'users.json'), 'utf8')).toBe(before);
    expect((await stack.call('GET', '/customers/ACME', { token: admin })).body.version).toBe(1);
  });

  it('without --name adds users to an existing customer, and refuses a customer with no record', async () => {
    const { code, stdout } = await run('--customer', 'ACME', '--user', 'dave@acme.example');
    expect(code).toBe(0);
    expect(summary(stdout)).toMatchObject({ customer: { action: 'unchanged' }, users: [{ email: 'dave@acme.example', action: 'created' }] });
    const missing = await run('--customer', 'INITECH', '--user', 'peter@initech.example');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/customer INITECH has no record yet: give --name/);
  });

  it('a conflict with what exists is named, and nothing is changed', async () => {
    const before = await readFile(join(stack.dataDir, 'users.json'), 'utf8');
    const { code, stdout, stderr } = await run('--customer', 'ACME', '--name', 'Acme Holding', '--user', 'bob@globex.example', '--user', 'erin@acme.example', '--user', 'carol@provider.example:admin');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^sla-desk: nothing changed: customer ACME exists with another name, contacts, go-live, hypercare weeks/);
    expect(stderr).toMatch(/bob@globex\.example is a user of customer GLOBEX/);
    expect(stderr).toMatch(/carol@provider\.example is in agents, so signs in as agent, not admin/);
    expect(await readFile(join(stack.dataDir, 'users.json'), 'utf8')).toBe(before);
    expect((await stack.call('GET', '/customers/ACME', { token: admin })).body).toMatchObject({ name: 'Acme A/S', version: 1 });
  });

  it("keeps a person's name with their account, and the API names them by it", async () => {
    const { code, stdout, stderr } = await run('--customer', 'ACME', '--user', 'Hanna Holm <Hanna@acme.example>', '--user', ' Ada Lovelace <ada@provider.example>:agent');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const done = summary(stdout);
    expect(done.users).toMatchObject([
      { email: 'hanna@acme.example', name: 'Hanna Holm', role: 'customer', action: 'created' },
      { email: 'ada@provider.example', name: 'Ada Lovelace', role: 'agent', action: 'created' },
    ]);
    expect(stdout).toMatch(/^user ada@provider\.example \(Ada Lovelace, agent\): created/m);
    const users = JSON.parse(await readFile(join(stack.dataDir, 'users.json'), 'utf8')).users;
    expect(users.filter((u: { email: string }) => ['hanna@acme.example', 'ada@provider.example'].includes(u.email))).toEqual([
      { email: 'hanna@acme.example', sub: done.users[0].sub, customerId: 'ACME', name: 'Hanna Holm', groups: [], status: 'CONFIRMED', enabled: true },
      { email: 'ada@provider.example', sub: done.users[1].sub, name: 'Ada Lovelace', groups: ['agents'], status: 'CONFIRMED', enabled: true },
    ]);

    // Signed in locally, her token carries her name, as the user pool's trigger adds it; the API names her by it.
    const hanna = (await signIn('hanna@acme.example')).body.token as string;
    expect(decodeJwt(hanna)).toMatchObject({ sub: done.users[0].sub, name: 'Hanna Holm', email: 'hanna@acme.example' });
    const ticket = await stack.call('POST', '/tickets', { token: hanna, body: aTicket() });
    const ada = (await signIn('ada@provider.example')).body.token as string;
    expect((await stack.call('POST', `/tickets/${ticket.body.id}/comments`, { token: ada, body: { body: 'On it', visibility: 'public' } })).status).toBe(201);
    const events = (await stack.call('GET', `/tickets/${ticket.body.id}/events`, { token: admin })).body.items as { type: string; actor: { name: string } }[];
    expect(events.map((e) => [e.type, e.actor.name])).toContainEqual(['ticket.opened', 'Hanna Holm']);
    expect(events.map((e) => [e.type, e.actor.name])).toContainEqual(['comment.added', 'Ada Lovelace']);
    // An account made without a name signs in with none: the provider reads it by email.
    expect(decodeJwt((await signIn('alice@acme.example')).body.token)).not.toHaveProperty('name');

    // The same name again changes nothing; another, or one for an account made without, is a conflict.
    expect(summary((await run('--customer', 'ACME', '--user', 'Hanna Holm <hanna@acme.example>')).stdout).users).toMatchObject([{ action: 'unchanged' }]);
    const before = await readFile(join(stack.dataDir, 'users.json'), 'utf8');
    const renamed = await run('--customer', 'ACME', '--user', 'Hanna Jensen <hanna@acme.example>', '--user', 'Alice Andersen <alice@acme.example>');
    expect(renamed.code).toBe(1);
    expect(renamed.stderr).toMatch(/hanna@acme\.example is named "Hanna Holm", not "Hanna Jensen": .*admin-update-user-attributes/);
    expect(renamed.stderr).toMatch(/alice@acme\.example has no name, not "Alice Andersen"/);
    expect(await readFile(join(stack.dataDir, 'users.json'), 'utf8')).toBe(before);
  });

  it.each([
    [['--customer', 'acme', '--name', 'Acme'], /customer ids are upper case: --customer ACME, not acme/],
    [['--name', 'Acme'], /--customer is required/],
    [['--customer', 'a-c-m-e', '--name', 'Acme'], /--customer a-c-m-e is no customer id/],
    [['--customer', 'ACME', '--user', 'alice@acme.example:owner'], /the role is one of customer, agent, finance, admin/],
    [['--customer', 'ACME', '--user', 'alice'], /not an email address/],
    [['--customer', 'ACME', '--user', 'Alice <alice>'], /not an email address/],
    [['--customer', 'ACME', '--user', 'Alice <alice@acme.example>:owner'], /the role is one of customer, agent, finance, admin/],
    [['--customer', 'ACME', '--user', 'a@acme.example', '--user', 'A@acme.example'], /a@acme\.example is given twice/],
    [['--customer', 'ACME', '--contact', 'ops@acme.example'], /--contact set the customer's record: give --name/],
    [['--customer', 'ACME', '--name', 'Acme', '--contact', 'ops@acme.example:alerts,faxes'], /--contact 1: purpose 2: /],
    [['--customer', 'ACME', '--name', 'Acme', '--hypercare-weeks', '4'], /Hypercare weeks count from the go-live/],
    [['--customer', 'ACME', '--name', 'Acme', '--rate', '12.345 DKK'], /--rate: an hourly rate in DKK/],
    [['--customer', 'ACME'], /nothing to do/],
    [['--customer', 'ACME', '--user', 'a@acme.example', '--region', 'eu-west-1'], /--region is for a deployed stage/],
    [['--customer', 'ACME', '--user', 'a@acme.example', '--colour', 'red'], /Unknown option '--colour'/],
  ])('bad arguments %j exit 2 with one line', async (args, message) => {
    const { code, stdout, stderr } = await run(...args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('says so, with exit 2, where no local stack answers', async () => {
    const { code, stderr } = await runCli(['onboard', '--url', 'http://127.0.0.1:9', '--customer', 'ACME', '--user', 'a@acme.example'], { ...process.env, DATA_DIR: stack.dataDir });
    expect(code).toBe(2);
    expect(stderr).toMatch(/no local stack answers at http:\/\/127\.0\.0\.1:9/);
  });
});

describe('sla-desk onboard on a deployed stage', () => {
  const cloudFormation = mockClient(CloudFormationClient);
  const cognito = mockClient(CognitoIdentityProviderClient);
  const POOL = 'eu-north-1_Pool1234';
  const run = (...args: string[]) => onboard(['--stage', 'prod', ...args], { dynamoEndpoint: stack.dynamoEndpoint });
  const initech = ['--customer', 'INITECH', '--name', 'Initech A/S', '--contact', 'ops@initech.example:alerts', '--rate', '1250.00 DKK'];
  const notFound = () => new UserNotFoundException({ message: 'User does not exist.', $metadata: {} });

  beforeEach(() => {
    cloudFormation.reset();
    cognito.reset();
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackName: 'SlaDesk-prod',
          CreationTime: new Date(),
          StackStatus: 'UPDATE_COMPLETE',
          Outputs: [
            { OutputKey: 'ApiUrl', OutputValue: 'https://api.example/' },
            { OutputKey: 'ConsoleUrl', OutputValue: 'https://console.example' },
            { OutputKey: 'UserPoolId', OutputValue: POOL },
            { OutputKey: 'TableName', OutputValue: stack.tableName },
          ],
        },
      ],
    });
  });

  it("reads the stack's outputs, writes the record to its table and makes each account in the user pool", async () => {
    cognito.on(AdminGetUserCommand).rejects(notFound());
    cognito
      .on(AdminCreateUserCommand)
      .callsFake(({ Username }) => ({ User: { Username: `sub-${Username}`, Attributes: [{ Name: 'sub', Value: `sub-${Username}` }], UserStatus: 'FORCE_CHANGE_PASSWORD', Enabled: true } }));
    cognito.on(AdminAddUserToGroupCommand).resolves({});

    const out = await run(...initech, '--user', 'Peter Gibbons <peter@initech.example>', '--user', 'frida@provider.example:finance');

    expect(cloudFormation.commandCalls(DescribeStacksCommand).map((c) => c.args[0].input)).toEqual([{ StackName: 'SlaDesk-prod' }]);
    expect(await (cloudFormation.call(0).thisValue as CloudFormationClient).config.region()).toBe('eu-north-1');
    expect(cognito.commandCalls(AdminCreateUserCommand).map((c) => c.args[0].input)).toEqual([
      {
        UserPoolId: POOL,
        Username: 'peter@initech.example',
        UserAttributes: [
          { Name: 'email', Value: 'peter@initech.example' },
          { Name: 'email_verified', Value: 'true' },
          { Name: 'name', Value: 'Peter Gibbons' },
          { Name: 'custom:customer_id', Value: 'INITECH' },
        ],
        DesiredDeliveryMediums: ['EMAIL'],
      },
      {
        UserPoolId: POOL,
        Username: 'frida@provider.example',
        UserAttributes: [
          { Name: 'email', Value: 'frida@provider.example' },
          { Name: 'email_verified', Value: 'true' },
        ],
        DesiredDeliveryMediums: ['EMAIL'],
      },
    ]);
    expect(cognito.commandCalls(AdminAddUserToGroupCommand).map((c) => c.args[0].input)).toEqual([{ UserPoolId: POOL, Username: 'frida@provider.example', GroupName: 'finance' }]);

    // The record is in the table the outputs named, as the API serves it, with its audit event.
    const record = await stack.call('GET', '/customers/INITECH', { token: admin });
    expect(record.body).toMatchObject({ name: 'Initech A/S', contacts: [{ email: 'ops@initech.example', receives: ['alerts'] }], consultancyRate: { hourly: '1250.00', currency: 'DKK' }, version: 1 });
    const events = await stack.call('GET', '/customers/INITECH/events', { token: admin });
    expect(events.body.items).toMatchObject([{ type: 'customer.saved', by: expect.stringMatching(/^onboard:/) }]);

    const done = summary(out);
    expect(done.target).toEqual({ stack: 'SlaDesk-prod', region: 'eu-north-1', tableName: stack.tableName, userPoolId: POOL, consoleUrl: 'https://console.example' });
    expect(done.users).toEqual([
      { email: 'peter@initech.example', name: 'Peter Gibbons', role: 'customer', sub: 'sub-peter@initech.example', status: 'FORCE_CHANGE_PASSWORD', action: 'created' },
      { email: 'frida@provider.example', role: 'finance', sub: 'sub-frida@provider.example', status: 'FORCE_CHANGE_PASSWORD', action: 'created' },
    ]);
    expect(out).toMatch(/user peter@initech\.example \(Peter Gibbons, a user of INITECH\): created; Cognito emailed a temporary password \(valid 3 days\); sign in at https:\/\/console\.example/);
  });

  it('run again, only reads: existing accounts and record that match are left as they are', async () => {
    cognito.on(AdminGetUserCommand, { Username: 'peter@initech.example' }).resolves({
      Username: 'sub-peter',
      UserAttributes: [
        { Name: 'sub', Value: 'sub-peter' },
        { Name: 'email', Value: 'peter@initech.example' },
        { Name: 'custom:customer_id', Value: 'INITECH' },
      ],
      UserStatus: 'CONFIRMED',
      Enabled: true,
    });
    cognito
      .on(AdminGetUserCommand, { Username: 'frida@provider.example' })
      .resolves({ Username: 'sub-frida', UserAttributes: [{ Name: 'sub', Value: 'sub-frida' }], UserStatus: 'FORCE_CHANGE_PASSWORD', Enabled: true });
    cognito.on(AdminListGroupsForUserCommand, { Username: 'peter@initech.example' }).resolves({ Groups: [] });
    cognito.on(AdminListGroupsForUserCommand, { Username: 'frida@provider.example' }).resolves({ Groups: [{ GroupName: 'finance' }] });

    const done = summary(await run(...initech, '--user', 'peter@initech.example', '--user', 'frida@provider.example:finance'));

    expect(done.customer).toMatchObject({ action: 'unchanged', version: 1 });
    expect(done.users.map((u: { action: string }) => u.action)).toEqual(['unchanged', 'unchanged; invitation not yet taken up (--resend sends it again)']);
    expect(cognito.commandCalls(AdminGetUserCommand).map((c) => c.args[0].input)).toEqual([
      { UserPoolId: POOL, Username: 'peter@initech.example' },
      { UserPoolId: POOL, Username: 'frida@provider.example' },
    ]);
    expect(cognito.commandCalls(AdminCreateUserCommand)).toHaveLength(0);
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)).toHaveLength(0);
    expect((await stack.call('GET', '/customers/INITECH/events', { token: admin })).body.items).toHaveLength(1);
  });

  it('--resend sends the invitation again to an account not yet signed in to, and only to it', async () => {
    cognito.on(AdminGetUserCommand, { Username: 'peter@initech.example' }).resolves({
      Username: 'sub-peter',
      UserAttributes: [
        { Name: 'sub', Value: 'sub-peter' },
        { Name: 'custom:customer_id', Value: 'INITECH' },
      ],
      UserStatus: 'CONFIRMED',
      Enabled: true,
    });
    cognito.on(AdminGetUserCommand, { Username: 'ida@initech.example' }).resolves({
      Username: 'sub-ida',
      UserAttributes: [
        { Name: 'sub', Value: 'sub-ida' },
        { Name: 'custom:customer_id', Value: 'INITECH' },
      ],
      UserStatus: 'FORCE_CHANGE_PASSWORD',
      Enabled: true,
    });
    cognito.on(AdminListGroupsForUserCommand).resolves({ Groups: [] });
    cognito.on(AdminCreateUserCommand).resolves({});

    const done = summary(await run('--customer', 'INITECH', '--user', 'peter@initech.example', '--user', 'ida@initech.example', '--resend'));

    expect(done.users.map((u: { action: string }) => u.action)).toEqual(['unchanged', 'unchanged; invitation sent again']);
    expect(cognito.commandCalls(AdminCreateUserCommand).map((c) => c.args[0].input)).toEqual([
      { UserPoolId: POOL, Username: 'ida@initech.example', MessageAction: 'RESEND', DesiredDeliveryMediums: ['EMAIL'] },
    ]);
  });

  it("reads an account's name from the pool: the same name is left as it is, another is a conflict", async () => {
    cognito.on(AdminGetUserCommand).resolves({
      Username: 'sub-peter',
      UserAttributes: [
        { Name: 'sub', Value: 'sub-peter' },
        { Name: 'name', Value: 'Peter Gibbons' },
        { Name: 'custom:customer_id', Value: 'INITECH' },
      ],
      UserStatus: 'CONFIRMED',
      Enabled: true,
    });
    cognito.on(AdminListGroupsForUserCommand).resolves({ Groups: [] });

    expect(summary(await run('--customer', 'INITECH', '--user', 'Peter Gibbons <peter@initech.example>')).users).toEqual([
      { email: 'peter@initech.example', name: 'Peter Gibbons', role: 'customer', sub: 'sub-peter', status: 'CONFIRMED', action: 'unchanged' },
    ]);
    await expect(run('--customer', 'INITECH', '--user', 'Pete Gibbons <peter@initech.example>')).rejects.toThrow(
      /nothing changed: peter@initech\.example is named "Peter Gibbons", not "Pete Gibbons"/,
    );
    expect(cognito.commandCalls(AdminCreateUserCommand)).toHaveLength(0);
  });

  it('refuses a disabled account, changing nothing', async () => {
    cognito.on(AdminGetUserCommand).resolves({
      Username: 'sub-olaf',
      UserAttributes: [
        { Name: 'sub', Value: 'sub-olaf' },
        { Name: 'custom:customer_id', Value: 'INITECH' },
      ],
      UserStatus: 'CONFIRMED',
      Enabled: false,
    });
    cognito.on(AdminListGroupsForUserCommand).resolves({ Groups: [] });

    await expect(run('--customer', 'INITECH', '--user', 'olaf@initech.example', '--resend')).rejects.toThrow(/nothing changed: olaf@initech\.example has a disabled account/);
    expect(cognito.commandCalls(AdminCreateUserCommand)).toHaveLength(0);
  });

  it('adds an existing staff account to its missing group', async () => {
    cognito.on(AdminGetUserCommand).resolves({ Username: 'sub-gus', UserAttributes: [{ Name: 'sub', Value: 'sub-gus' }], UserStatus: 'CONFIRMED', Enabled: true });
    cognito.on(AdminListGroupsForUserCommand).resolvesOnce({ Groups: [], NextToken: 'page-2' }).resolves({ Groups: [] });
    cognito.on(AdminAddUserToGroupCommand).resolves({});

    const done = summary(await run('--customer', 'INITECH', '--user', 'gus@provider.example:admin'));

    expect(cognito.commandCalls(AdminListGroupsForUserCommand).map((c) => c.args[0].input)).toEqual([
      { UserPoolId: POOL, Username: 'gus@provider.example' },
      { UserPoolId: POOL, Username: 'gus@provider.example', NextToken: 'page-2' },
    ]);
    expect(cognito.commandCalls(AdminAddUserToGroupCommand).map((c) => c.args[0].input)).toEqual([{ UserPoolId: POOL, Username: 'gus@provider.example', GroupName: 'admins' }]);
    expect(done.users).toMatchObject([{ sub: 'sub-gus', action: 'added to admins' }]);
  });

  it('refuses an account of another customer, or a differing record, before changing anything', async () => {
    cognito.on(AdminGetUserCommand, { Username: 'peter@initech.example' }).resolves({ Username: 'sub-peter', UserAttributes: [{ Name: 'custom:customer_id', Value: 'GLOBEX' }], Enabled: true });
    cognito.on(AdminGetUserCommand, { Username: 'new@umbrella.example' }).rejects(notFound());
    cognito.on(AdminListGroupsForUserCommand).resolves({ Groups: [] });

    const conflict = run('--customer', 'UMBRELLA', '--name', 'Umbrella', '--user', 'new@umbrella.example', '--user', 'peter@initech.example');
    await expect(conflict).rejects.toThrow(CliFailure);
    await expect(conflict).rejects.toThrow(/nothing changed: peter@initech\.example is a user of customer GLOBEX/);
    expect(cognito.commandCalls(AdminCreateUserCommand)).toHaveLength(0);
    expect((await stack.call('GET', '/customers/UMBRELLA', { token: admin })).status).toBe(404);

    await expect(run('--customer', 'INITECH', '--name', 'Initech A/S', '--contact', 'ops@initech.example:alerts')).rejects.toThrow(
      /customer INITECH exists with another consultancy rate: change it .* \(If-Match "1"\)/,
    );
  });

  it('a stack that is not there is a usage error naming it; a refusal by AWS is one line', async () => {
    cloudFormation.on(DescribeStacksCommand).rejects(Object.assign(new Error('Stack with id SlaDesk-nope does not exist'), { name: 'ValidationError', $metadata: {} }));
    await expect(onboard(['--stack', 'SlaDesk-nope', '--region', 'eu-west-1', '--customer', 'ACME', '--user', 'a@acme.example'])).rejects.toThrow(
      new CliUsageError('no stack SlaDesk-nope in eu-west-1: deploy it first (npx cdk deploy -c stage=…), or give --region'),
    );
    cloudFormation.on(DescribeStacksCommand).rejects(Object.assign(new Error('User is not authorized to perform: cloudformation:DescribeStacks'), { name: 'AccessDenied', $metadata: {} }));
    await expect(run('--customer', 'ACME', '--user', 'a@acme.example')).rejects.toThrow(/^AWS refused: AccessDenied: User is not authorized/);
  });
});

/** A key pair as a customer's system would make it, its public half as a PEM file (or a JWK file) for onboard, its private half as a PEM file for token. */
async function systemKey(algorithm: 'ES256' | 'RS256' = 'ES256') {
  const dir = await mkdtemp(join(tmpdir(), 'sla-desk-key-'));
  const pair = await generateKeyPair(algorithm, { extractable: true });
  const files = { publicPem: join(dir, 'public.pem'), publicJwk: join(dir, 'public.jwk'), privatePem: join(dir, 'private.pem') };
  await writeFile(files.publicPem, await exportSPKI(pair.publicKey));
  await writeFile(files.publicJwk, JSON.stringify(await exportJWK(pair.publicKey)));
  await writeFile(files.privatePem, await exportPKCS8(pair.privateKey));
  return { ...pair, ...files };
}

describe("sla-desk onboard: a customer's system (an integration), on the local stack", () => {
  const env = () => ({ ...process.env, DATA_DIR: stack.dataDir });
  const run = (...args: string[]) => runCli(['onboard', '--url', stack.url, ...args], env());

  it('registers its key with no deploy; an assertion from the token command opens tickets as the customer, sees no other customer; revoked, it is refused at once', async () => {
    const key = await systemKey();
    const { code, stdout, stderr } = await run('--customer', 'HOOLI', '--name', 'Hooli', '--integration', 'hooli-erp', '--public-key', key.publicPem);
    expect([code, stderr]).toEqual([0, '']);
    const done = summary(stdout);
    expect(done.customer).toMatchObject({ customerId: 'HOOLI', action: 'created' });
    expect(done.integration).toMatchObject({ integrationId: 'hooli-erp', customerId: 'HOOLI', status: 'active', algorithm: 'ES256', audience: LOCAL_AUDIENCE, action: 'registered', revokedAt: null });
    expect(stdout).toMatch(
      /integration hooli-erp \(ES256, key thumbprint [\w-]{43}\): registered; its system signs assertions with kid, iss and sub hooli-erp and aud urn:sla-desk:local, valid at most 5 minutes/,
    );
    expect((await stack.call('GET', '/integrations/hooli-erp', { token: admin })).body).toMatchObject({ customerId: 'HOOLI', thumbprint: done.integration.thumbprint });

    // The customer's system, as docs/deployment.md (Integrations) shows it: a signed assertion, at most 5 minutes.
    const minted = await runCli(['token', '--integration', 'hooli-erp', '--private-key', key.privatePem], env());
    expect(minted.code).toBe(0);
    const assertion = minted.stdout.trim().split('\n').at(-1)!;
    expect(decodeJwt(assertion)).toMatchObject({ iss: 'hooli-erp', sub: 'hooli-erp', aud: LOCAL_AUDIENCE });
    const opened = await stack.call('POST', '/tickets', { token: assertion, body: aTicket() });
    expect([opened.status, opened.body.customerId]).toEqual([201, 'HOOLI']);
    const other = await stack.call('POST', '/tickets', { token: await stack.token('customer', 'GLOBEX'), body: aTicket() });
    expect((await stack.call('GET', `/tickets/${other.body.id}`, { token: assertion })).status).toBe(404);

    // Again: nothing changes.
    const again = await run('--customer', 'HOOLI', '--integration', 'hooli-erp', '--public-key', key.publicJwk);
    expect(again.code).toBe(0);
    expect(summary(again.stdout).integration).toMatchObject({ action: 'unchanged' });

    const revoked = await run('--customer', 'HOOLI', '--revoke-integration', 'hooli-erp');
    expect(revoked.code).toBe(0);
    expect(summary(revoked.stdout).integration).toMatchObject({ status: 'revoked', action: 'revoked', revokedBy: 'local-onboard' });
    expect(revoked.stdout).toMatch(/integration hooli-erp: revoked at .*; refused at once on the local stack/);
    expect((await stack.call('GET', '/tickets', { token: assertion })).status).toBe(403);
    const twice = await run('--customer', 'HOOLI', '--revoke-integration', 'hooli-erp');
    expect([twice.code, summary(twice.stdout).integration.action]).toEqual([0, 'revoked already']);
  });

  it('names a conflict before changing anything: the id taken with another key or customer, or revoked', async () => {
    const key = await systemKey('RS256');
    expect((await run('--customer', 'HOOLI', '--integration', 'hooli-crm', '--public-key', key.publicPem)).code).toBe(0);
    const other = await systemKey();
    const rekeyed = await run('--customer', 'HOOLI', '--integration', 'hooli-crm', '--public-key', other.publicPem, '--user', 'gavin@hooli.example');
    expect(rekeyed.code).toBe(1);
    expect(rekeyed.stderr).toMatch(
      /^sla-desk: nothing changed: integration hooli-crm is registered with another key \(thumbprint [\w-]+\): register the new key under a new id \(e\.g\. hooli-crm-2\)/,
    );
    // The user named with it was not made either.
    expect((await stack.call('POST', '/_dev/token', { body: { email: 'gavin@hooli.example' } })).status).toBe(404);
    const stolen = await run('--customer', 'PIEDPIPER', '--name', 'Pied Piper', '--integration', 'hooli-crm', '--public-key', key.publicPem);
    expect(stolen.stderr).toMatch(/integration hooli-crm is registered to customer HOOLI, not PIEDPIPER/);
    expect((await stack.call('GET', '/customers/PIEDPIPER', { token: admin })).status).toBe(404);
    const wrongCustomer = await run('--customer', 'ACME', '--revoke-integration', 'hooli-crm');
    expect(wrongCustomer.stderr).toMatch(/integration hooli-crm is registered to customer HOOLI, not ACME/);
    expect((await stack.call('GET', '/integrations/hooli-crm', { token: admin })).body.status).toBe('active');
    expect((await run('--customer', 'HOOLI', '--revoke-integration', 'nobody-here')).stderr).toMatch(/no integration nobody-here is registered/);
    expect((await run('--customer', 'HOOLI', '--revoke-integration', 'hooli-crm')).code).toBe(0);
    expect((await run('--customer', 'HOOLI', '--integration', 'hooli-crm', '--public-key', key.publicPem)).stderr).toMatch(/integration hooli-crm was revoked at .*: register the key under a new id/);
  });

  it.each<[string[], RegExp]>([
    [['--integration', 'hooli-erp'], /--integration needs --public-key/],
    [['--public-key', 'x.pem'], /--public-key needs --integration/],
    [['--integration', 'Hooli ERP', '--public-key', 'x.pem'], /--integration "Hooli ERP": 3–48 lower-case letters/],
    [['--integration', 'hooli-erp', '--public-key', '/nonexistent/key.pem'], /--public-key \/nonexistent\/key\.pem: no such file/],
    [['--revoke-integration', 'hooli-erp', '--integration', 'hooli-erp'], /--revoke-integration takes no --integration/],
    [['--revoke-integration', 'hooli-erp', '--user', 'a@hooli.example'], /--revoke-integration takes no --name or --user/],
  ])('bad arguments %j exit 2 with one line', async (args, message) => {
    const { code, stdout, stderr } = await run('--customer', 'HOOLI', ...args);
    expect([code, stdout]).toEqual([2, '']);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a private key given as the public key, and a key of another kind, before anything is sent', async () => {
    const key = await systemKey();
    const priv = await run('--customer', 'HOOLI', '--integration', 'hooli-bi', '--public-key', key.privatePem);
    expect([priv.code, priv.stderr]).toEqual([2, expect.stringMatching(/is a private key: give the public key only/)]);
    const small = join(await mkdtemp(join(tmpdir(), 'sla-desk-key-')), 'small.pem');
    await writeFile(small, generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'pem', type: 'spki' }));
    expect((await run('--customer', 'HOOLI', '--integration', 'hooli-bi', '--public-key', small)).stderr).toMatch(/--public-key .*small\.pem: an RSA key must have at least 2048 bits, not 1024/);
    expect((await stack.call('GET', '/integrations/hooli-bi', { token: admin })).status).toBe(404);
  });
});

describe("sla-desk onboard: a customer's system, on a deployed stage", () => {
  const cloudFormation = mockClient(CloudFormationClient);
  const cognito = mockClient(CognitoIdentityProviderClient);
  const run = (...args: string[]) => onboard(['--stage', 'prod', ...args], { dynamoEndpoint: stack.dynamoEndpoint });

  beforeEach(() => {
    cloudFormation.reset();
    cognito.reset();
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackName: 'SlaDesk-prod',
          CreationTime: new Date(),
          StackStatus: 'UPDATE_COMPLETE',
          Outputs: [
            { OutputKey: 'UserPoolId', OutputValue: 'eu-north-1_Pool1234' },
            { OutputKey: 'TableName', OutputValue: stack.tableName },
            { OutputKey: 'IntegrationAudience', OutputValue: 'urn:sla-desk:prod' },
          ],
        },
      ],
    });
  });

  it('writes the key to the table the outputs name, where the authorizer finds it at once; revokes it there; asks Cognito nothing', async () => {
    expect((await run('--customer', 'UMBRELLA', '--name', 'Umbrella')).split('\n')[0]).toMatch(/created/);
    const key = await systemKey();
    const done = summary(await run('--customer', 'UMBRELLA', '--integration', 'umbrella-erp', '--public-key', key.publicPem));
    expect(done.integration).toMatchObject({
      integrationId: 'umbrella-erp',
      customerId: 'UMBRELLA',
      audience: 'urn:sla-desk:prod',
      action: 'registered',
      registeredBy: expect.stringMatching(/^onboard:/),
    });
    // The same table serves the local stack here: its authorizer takes the key at once (with the local stage's audience).
    const assertion = await signAssertion(key.privateKey, { integrationId: 'umbrella-erp', audience: LOCAL_AUDIENCE, algorithm: 'ES256' });
    expect((await stack.call('GET', '/tickets', { token: assertion })).status).toBe(200);

    const out = await run('--customer', 'UMBRELLA', '--revoke-integration', 'umbrella-erp');
    expect(out).toMatch(/integration umbrella-erp: revoked at .*; refused within 60 s/);
    expect(summary(out).integration).toMatchObject({ status: 'revoked', revokedBy: expect.stringMatching(/^onboard:/) });
    expect((await stack.call('GET', '/tickets', { token: assertion })).status).toBe(403);
    expect(cognito.calls()).toHaveLength(0);
  });
});
