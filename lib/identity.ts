import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  OAuthScope,
  ResourceServerScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  UserPoolClient,
  UserPoolClientIdentityProvider,
  UserPoolDomain,
  UserPoolResourceServer,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

export const USER_GROUPS = ['agents', 'finance', 'admins'] as const;
export const RESOURCE_SERVER_ID = 'sla-desk';
export const TICKETS_SCOPE = 'tickets';

export interface SlaDeskIdentityProps {
  /** Cognito domain prefix; must be unique in the region. */
  readonly domainPrefix: string;
  /** Where the hosted sign-in may send people back to. */
  readonly callbackUrls: readonly string[];
  readonly logoutUrls?: readonly string[];
}

/**
 * Who may call the API: people (customers, agents, finance, admins) through
 * the people client, integrations through the machine client.
 */
export class SlaDeskIdentity extends Construct {
  readonly userPool: UserPool;
  readonly resourceServer: UserPoolResourceServer;
  readonly domain: UserPoolDomain;
  /** People: SRP or the OAuth code flow with PKCE, no secret (runs in browsers and CLIs). */
  readonly peopleClient: UserPoolClient;
  /** Integrations: client credentials, scope `sla-desk/tickets`. */
  readonly machineClient: UserPoolClient;

  constructor(scope: Construct, id: string, props: SlaDeskIdentityProps) {
    super(scope, id);

    this.userPool = new UserPool(this, 'UserPool', {
      // Accounts are created by admins for contracted customers only.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // Authenticator apps only: SMS would need an SNS role and costs per message.
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      // Threat protection (compromised credentials, risky sign-ins) needs the Plus plan.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      customAttributes: {
        // Set once by an admin at creation; a person never moves between customers.
        customer_id: new StringAttribute({ minLen: 1, maxLen: 64, mutable: false }),
      },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const descriptions: Record<(typeof USER_GROUPS)[number], string> = {
      agents: 'Support agents: see and work every ticket',
      finance: 'Finance: billable consultancy and hypercare',
      admins: 'Administrators',
    };
    for (const group of USER_GROUPS) {
      this.userPool.addGroup(`Group-${group}`, { groupName: group, description: descriptions[group] });
    }

    const tickets = new ResourceServerScope({ scopeName: TICKETS_SCOPE, scopeDescription: 'Create and read support tickets' });
    this.resourceServer = this.userPool.addResourceServer('ResourceServer', {
      identifier: RESOURCE_SERVER_ID,
      userPoolResourceServerName: 'sla-desk API',
      scopes: [tickets],
    });
    const ticketsScope = OAuthScope.resourceServer(this.resourceServer, tickets);

    // The token endpoint lives on the domain; client credentials need it.
    this.domain = this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix: props.domainPrefix } });

    this.peopleClient = this.userPool.addClient('PeopleClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE, ticketsScope],
        callbackUrls: [...props.callbackUrls],
        logoutUrls: [...(props.logoutUrls ?? props.callbackUrls)],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });

    this.machineClient = this.userPool.addClient('MachineClient', {
      generateSecret: true,
      // A non-empty authFlows leaves only ALLOW_REFRESH_TOKEN_AUTH, so no person can sign in through this client.
      authFlows: { userSrp: false },
      oAuth: {
        flows: { clientCredentials: true },
        scopes: [ticketsScope],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
    });
  }
}
