import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import {
  AccountRecovery,
  type CfnUserPool,
  FeaturePlan,
  LambdaVersion,
  Mfa,
  OAuthScope,
  ResourceServerScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  UserPoolClient,
  UserPoolClientIdentityProvider,
  UserPoolDomain,
  UserPoolOperation,
  UserPoolResourceServer,
} from 'aws-cdk-lib/aws-cognito';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { PROVIDER_GROUPS } from '../functions/domain/actor';
import { CUSTOMER_ID } from '../functions/domain/identifiers';
import { RESOURCE_SERVER, TICKETS_SCOPE } from '../functions/handlers/http/identity';
import type { SlaDeskOperations } from './operations';
import { type FunctionSettings, type LogLevel, SlaDeskFunction } from './sla-desk-function';

const TICKETS_SCOPE_NAME = TICKETS_SCOPE.slice(RESOURCE_SERVER.length + 1);

/** Cognito's rule for a prefix domain, checked at synth rather than half-way through a deploy. */
export function checkDomainPrefix(prefix: string): string {
  if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(prefix)) {
    throw new Error(`context authDomainPrefix must be 1–63 lower-case letters, digits and hyphens, not starting or ending with a hyphen: ${prefix}`);
  }
  const reserved = ['aws', 'amazon', 'cognito'].filter((word) => prefix.includes(word));
  if (reserved.length) throw new Error(`context authDomainPrefix may not contain ${reserved.join(', ')}: ${prefix}`);
  return prefix;
}

export interface SlaDeskIdentityProps {
  readonly functions: FunctionSettings;
  /** Retained with deletion protection (production), or destroyed with the stack. @default true */
  readonly retain?: boolean;
  /** Cognito domain prefix; must be unique in the region. */
  readonly domainPrefix: string;
  /** Where the hosted sign-in may send people back to. */
  readonly callbackUrls: readonly string[];
  readonly logoutUrls?: readonly string[];
  /** Customers whose own systems call the API: one client-credentials app client each. */
  readonly integrations?: readonly string[];
  /**
   * Cognito sends its own email (invitations, codes) through this verified SES
   * identity in the stack's region. @default Cognito's own sender, 50 a day
   */
  readonly sesEmail?: { readonly fromEmail: string; readonly identityArn: string };
  readonly operations: SlaDeskOperations;
  readonly logLevel?: LogLevel;
  /**
   * A WAF web ACL on the user pool's sign-in and token endpoints: AWS's common
   * rules, its IP reputation list and a per-IP rate limit ($5 a month and $1 a
   * rule). @default false
   */
  readonly waf?: boolean;
  /**
   * The Plus plan and its threat protection (compromised credentials, risky
   * sign-ins), billed per monthly active user. @default false: the Essentials
   * plan, whose free tier covers 10,000 monthly active users and which also
   * lets the trigger customize access tokens.
   */
  readonly threatProtection?: boolean;
}

/**
 * Who may call the API: people (customers, agents, finance, admins) through
 * the people client, each integrating customer's systems through a machine
 * client of its own. A pre token generation trigger puts the role (as a
 * scope) and the customer into people's access tokens.
 */
export class SlaDeskIdentity extends Construct {
  readonly userPool: UserPool;
  readonly resourceServer: UserPoolResourceServer;
  readonly domain: UserPoolDomain;
  /** People: SRP or the OAuth code flow with PKCE, no secret (runs in browsers and CLIs). */
  readonly peopleClient: UserPoolClient;
  /** Integrations by customer id: client credentials, scope `sla-desk/tickets`. */
  readonly machineClients: ReadonlyMap<string, UserPoolClient>;
  readonly preTokenTrigger: SlaDeskFunction;
  /** The trigger failed: people cannot sign in. */
  readonly preTokenErrorsAlarm: Alarm;
  readonly webAcl?: CfnWebACL;

  constructor(scope: Construct, id: string, props: SlaDeskIdentityProps) {
    super(scope, id);

    this.userPool = new UserPool(this, 'UserPool', {
      // Accounts are created by admins for contracted customers only.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      // Addresses are stored lower-case (onboard); a person typing capitals still signs in. Fixed at creation: changing it replaces the pool.
      signInCaseSensitive: false,
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
      // Access-token customization by the trigger below needs Essentials at least; threat protection needs Plus.
      ...(props.threatProtection
        ? { featurePlan: FeaturePlan.PLUS, standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION }
        : { featurePlan: FeaturePlan.ESSENTIALS }),
      customAttributes: {
        // Set once by an admin at creation; a person never moves between customers.
        customer_id: new StringAttribute({ minLen: 1, maxLen: 64, mutable: false }),
      },
      deletionProtection: props.retain ?? true,
      removalPolicy: (props.retain ?? true) ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    if (props.sesEmail) {
      // Set on the resource: CDK's withSES wants the sender's domain to equal the identity, while
      // SES also sends from subdomains of a verified domain.
      (this.userPool.node.defaultChild as CfnUserPool).emailConfiguration = {
        emailSendingAccount: 'DEVELOPER',
        from: `sla-desk <${props.sesEmail.fromEmail}>`,
        sourceArn: props.sesEmail.identityArn,
      };
    }

    const descriptions: Record<string, string> = {
      agents: 'Support agents: see and work every ticket',
      finance: 'Finance: billable consultancy and hypercare',
      admins: 'Administrators',
    };
    for (const [group] of PROVIDER_GROUPS) {
      this.userPool.addGroup(`Group-${group}`, { groupName: group, description: descriptions[group] });
    }

    this.preTokenTrigger = new SlaDeskFunction(this, 'PreTokenFunction', {
      entry: 'functions/handlers/auth/pre-token.ts',
      description: 'sla-desk role and customer into access tokens',
      logLevel: props.logLevel,
      // Cognito waits 5 seconds for a trigger.
      timeout: Duration.seconds(5),
      memorySize: 256,
      settings: props.functions,
    });
    this.userPool.addTrigger(UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG, this.preTokenTrigger.fn, LambdaVersion.V2_0);
    this.preTokenErrorsAlarm = props.operations.pageOnErrors(this.preTokenTrigger, 'the pre token generation trigger failed: people cannot sign in to sla-desk. Check its logs.');

    const tickets = new ResourceServerScope({ scopeName: TICKETS_SCOPE_NAME, scopeDescription: "A customer's own systems: create and read its support tickets" });
    this.resourceServer = this.userPool.addResourceServer('ResourceServer', {
      identifier: RESOURCE_SERVER,
      userPoolResourceServerName: 'sla-desk API',
      scopes: [tickets],
    });
    const ticketsScope = OAuthScope.resourceServer(this.resourceServer, tickets);

    // The token endpoint lives on the domain; client credentials need it.
    this.domain = this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix: checkDomainPrefix(props.domainPrefix) } });

    // People get their API scope from the trigger, by role; none can be asked for at sign-in.
    this.peopleClient = this.userPool.addClient('PeopleClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
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

    const machineClients = new Map<string, UserPoolClient>();
    for (const customerId of props.integrations ?? []) {
      if (!CUSTOMER_ID.test(customerId)) throw new Error(`context integrations: ${customerId} is not a customer id (2–16 capitals and digits, starting with a letter)`);
      if (machineClients.has(customerId)) throw new Error(`context integrations names ${customerId} twice`);
      machineClients.set(
        customerId,
        this.userPool.addClient(`Integration-${customerId}`, {
          userPoolClientName: `sla-desk integration ${customerId}`,
          generateSecret: true,
          // A non-empty authFlows leaves only ALLOW_REFRESH_TOKEN_AUTH, so no person can sign in through this client.
          authFlows: { userSrp: false },
          oAuth: { flows: { clientCredentials: true }, scopes: [ticketsScope] },
          supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
          preventUserExistenceErrors: true,
          accessTokenValidity: Duration.hours(1),
        }),
      );
    }
    this.machineClients = machineClients;

    if (!props.threatProtection) {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG8',
        reason:
          'The Plus plan is billed per monthly active user with no free tier, so the bill would grow with every agent and customer user; MFA is required for everyone either way. A stage turns it on with -c threatProtection=true.',
      });
    }

    if (props.waf) {
      const name = `${Stack.of(this).stackName}-user-pool`;
      const visibility = (metricName: string) => ({ cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });
      const managed = (priority: number, rule: string) => ({
        name: rule,
        priority,
        statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: rule } },
        overrideAction: { none: {} },
        visibilityConfig: visibility(rule),
      });
      this.webAcl = new CfnWebACL(this, 'WebAcl', {
        name,
        scope: 'REGIONAL',
        defaultAction: { allow: {} },
        visibilityConfig: visibility(name),
        rules: [
          managed(0, 'AWSManagedRulesAmazonIpReputationList'),
          managed(1, 'AWSManagedRulesCommonRuleSet'),
          {
            // Sign-ins and token requests per address in five minutes: far above a person's or an integration's.
            name: 'RequestsPerAddress',
            priority: 2,
            statement: { rateBasedStatement: { limit: 300, aggregateKeyType: 'IP' } },
            action: { block: {} },
            visibilityConfig: visibility('RequestsPerAddress'),
          },
        ],
      });
      new CfnWebACLAssociation(this, 'WebAclAssociation', { resourceArn: this.userPool.userPoolArn, webAclArn: this.webAcl.attrArn });
    }
  }

  /** Every app client whose access tokens the API accepts. */
  get clients(): UserPoolClient[] {
    return [this.peopleClient, ...this.machineClients.values()];
  }

  /** MACHINE_CLIENTS for the functions: each integration's client id to its customer, resolved at deploy. */
  machineClientsJson(): string {
    return Stack.of(this).toJsonString(Object.fromEntries([...this.machineClients].map(([customerId, client]) => [client.userPoolClientId, customerId])));
  }
}
