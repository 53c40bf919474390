import { AdminDeleteUserCommand, AdminUserGlobalSignOutCommand, CognitoIdentityProviderClient, UserNotFoundException } from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { CognitoUserDirectory } from '#adapters/identity/cognito-user-directory';

/* A person's erasure removes their account from the user pool: the exact requests it sends. */

const cognito = mockClient(CognitoIdentityProviderClient);
const POOL = 'eu-north-1_Example1';
const directory = new CognitoUserDirectory(new CognitoIdentityProviderClient({ region: 'eu-north-1' }), POOL);

beforeEach(() => cognito.reset());

describe("removing a person's account", () => {
  it('signs them out everywhere (no new access token from a refresh token they hold), then deletes the user', async () => {
    cognito.on(AdminUserGlobalSignOutCommand).resolves({});
    cognito.on(AdminDeleteUserCommand).resolves({});
    expect(await directory.remove('alice@acme.example')).toBe(true);
    expect(cognito.calls().map((call) => [call.args[0].constructor.name, call.args[0].input])).toEqual([
      ['AdminUserGlobalSignOutCommand', { UserPoolId: POOL, Username: 'alice@acme.example' }],
      ['AdminDeleteUserCommand', { UserPoolId: POOL, Username: 'alice@acme.example' }],
    ]);
  });

  it('is no account, and no error, when the pool has none by that address (removed before, or never made)', async () => {
    cognito.on(AdminUserGlobalSignOutCommand).rejects(new UserNotFoundException({ message: 'User does not exist.', $metadata: {} }));
    expect(await directory.remove('nobody@acme.example')).toBe(false);
    expect(cognito.commandCalls(AdminDeleteUserCommand)).toHaveLength(0);
  });

  it('fails the erasure on any other error, so a run again finishes it', async () => {
    cognito.on(AdminUserGlobalSignOutCommand).resolves({});
    cognito.on(AdminDeleteUserCommand).rejects(new Error('Rate exceeded'));
    await expect(directory.remove('alice@acme.example')).rejects.toThrow('Rate exceeded');
  });
});
