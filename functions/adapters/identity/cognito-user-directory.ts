import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  type AdminGetUserCommandOutput,
  AdminListGroupsForUserCommand,
  AdminUserGlobalSignOutCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { CUSTOMER_ATTRIBUTE, type UserAccount, type UserDirectory } from './user-directory';

const attribute = (attributes: readonly AttributeType[] | undefined, name: string) => attributes?.find((a) => a.Name === name)?.Value;

/** People's accounts in the deployed user pool, addressed by email (the pool's username). */
export class CognitoUserDirectory implements UserDirectory {
  constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  async find(email: string): Promise<UserAccount | undefined> {
    let user: AdminGetUserCommandOutput;
    try {
      user = await this.cognito.send(new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: email }));
    } catch (error) {
      if (error instanceof UserNotFoundException) return undefined;
      throw error;
    }
    const customerId = attribute(user.UserAttributes, CUSTOMER_ATTRIBUTE);
    const name = attribute(user.UserAttributes, 'name');
    return {
      email,
      sub: attribute(user.UserAttributes, 'sub') ?? user.Username!,
      ...(customerId ? { customerId } : {}),
      ...(name ? { name } : {}),
      groups: await this.groupsOf(email),
      status: user.UserStatus ?? 'UNKNOWN',
      enabled: user.Enabled ?? true,
    };
  }

  async create(email: string, customerId?: string, name?: string): Promise<UserAccount> {
    const { User } = await this.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: this.userPoolId,
        Username: email,
        // Verified, so the invitation and password resets can go to it at once.
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
          ...(name ? [{ Name: 'name', Value: name }] : []),
          ...(customerId ? [{ Name: CUSTOMER_ATTRIBUTE, Value: customerId }] : []),
        ],
        DesiredDeliveryMediums: ['EMAIL'],
      }),
    );
    return {
      email,
      sub: attribute(User?.Attributes, 'sub') ?? User?.Username ?? email,
      ...(customerId ? { customerId } : {}),
      ...(name ? { name } : {}),
      groups: [],
      status: User?.UserStatus ?? 'FORCE_CHANGE_PASSWORD',
      enabled: User?.Enabled ?? true,
    };
  }

  async resendInvitation(email: string): Promise<void> {
    await this.cognito.send(new AdminCreateUserCommand({ UserPoolId: this.userPoolId, Username: email, MessageAction: 'RESEND', DesiredDeliveryMediums: ['EMAIL'] }));
  }

  /** Signed out everywhere first (its refresh tokens revoked: no new access token), then deleted. */
  async remove(email: string): Promise<boolean> {
    try {
      await this.cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: this.userPoolId, Username: email }));
      await this.cognito.send(new AdminDeleteUserCommand({ UserPoolId: this.userPoolId, Username: email }));
      return true;
    } catch (error) {
      if (error instanceof UserNotFoundException) return false;
      throw error;
    }
  }

  async addToGroup(email: string, group: string): Promise<void> {
    await this.cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: this.userPoolId, Username: email, GroupName: group }));
  }

  private async groupsOf(email: string): Promise<string[]> {
    const groups: string[] = [];
    let next: string | undefined;
    do {
      const page = await this.cognito.send(new AdminListGroupsForUserCommand({ UserPoolId: this.userPoolId, Username: email, ...(next ? { NextToken: next } : {}) }));
      groups.push(...(page.Groups ?? []).map((g) => g.GroupName!));
      next = page.NextToken;
    } while (next);
    return groups;
  }
}
