import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import {
  AccountRecovery,
  type CfnUserPool,
  FeaturePlan,
  LambdaVersion,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
  UserPoolOperation,
} from 'aws-cdk-lib/aws-cognito';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { PROVIDER_GROUPS } from '../functions/domain/actor';
import type { SlaDeskOperations } from './operations';
import { type FunctionSettings, type LogLevel, SlaDeskFunction } from './sla-desk-function';

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
 * Who may sign in: people (customers, agents, finance, admins) through the
 * people client. A pre token generation trigger puts the role (as a scope)
 * and the customer into people's access tokens. Customers' own systems are
 * no app clients here: they sign assertions with keys registered in the table
 * (`sla-desk onboard --integration`), which the API's Lambda authorizer
 * verifies (lib/authorizer.ts), so the pool bills no machine client and an
 * integration needs no deploy.
 */
export class SlaDeskIdentity extends Construct {
  readonly userPool: UserPool;
  readonly domain: UserPoolDomain;
  /** People: SRP or the OAuth code flow with PKCE, no secret (runs in browsers and CLIs). */
  readonly peopleClient: UserPoolClient;
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
      ...(props.threatProtection ? { featurePlan: FeaturePlan.PLUS, standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION } : { featurePlan: FeaturePlan.ESSENTIALS }),
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

    // The hosted sign-in (the console's authorization code flow) and its token endpoint live on the domain.
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

  /** Lets a function delete people's accounts (a person's erasure): sign them out everywhere, then AdminDeleteUser, on this pool, and its id. */
  grantDeleteUsers(fn: SlaDeskFunction): void {
    fn.addEnvironment('USER_POOL_ID', this.userPool.userPoolId);
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['cognito-idp:AdminUserGlobalSignOut', 'cognito-idp:AdminDeleteUser'], resources: [this.userPool.userPoolArn] }));
  }
}
