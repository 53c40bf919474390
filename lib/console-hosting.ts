import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, Lazy, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { AllowedMethods, Distribution, HeadersFrameOption, HeadersReferrerPolicy, ResponseHeadersPolicy, SecurityPolicyProtocol, ViewerProtocolPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { nagResourceName } from './nag';

/** A stack value as cdk-nag names it: itself, or `<AWS::AccountId>` while the stack is environment-agnostic. */
const named = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<${pseudo}>` : value);

/**
 * A URL's origin, `https://<host>`, while its host is still CloudFormation
 * tokens (the user pool domain's prefix, the region). A token's placeholder
 * never contains a slash, so the host is everything up to the first one.
 */
function originOf(url: string, what: string): string {
  const origin = /^https:\/\/[^/]+/.exec(url)?.[0];
  if (!origin) throw new Error(`the console's ${what} must be an https URL: ${url}`);
  return origin;
}

/** A CSP source list: the page's own origin, then these. */
const selfAnd = (origins: readonly string[]) => ["'self'", ...origins].join(' ');

/** The console's build, which `npm run build:console` (or the local stack's first start) makes. */
export const CONSOLE_BUILD = join(import.meta.dirname, '../web/dist');

/** An origin the page may fetch from: as the response headers name it, and as the page's own policy does (exactly). */
interface ConnectOrigin {
  readonly header: string;
  readonly page: string;
}

/** The console's page, in the build and in the bucket. */
const PAGE = 'index.html';

/**
 * The page with `<meta http-equiv="Content-Security-Policy">` at the top of its
 * head (after the charset), before anything the policy governs: a meta policy
 * applies only to what follows it. The policy's values are hosts and CSP
 * keywords, so it needs no escaping in a double-quoted attribute; its tokens
 * stay in the text for the deployment to fill in.
 */
function withPolicy(page: string, policy: string): string {
  if (/["<>&]/.test(policy)) throw new Error(`the page's policy must not need HTML escaping: ${policy}`);
  const top = /<meta charset[^>]*>/i.exec(page) ?? /<head>/i.exec(page);
  if (!top) throw new Error(`the console's ${PAGE} has no <head> to put its policy in`);
  const at = top.index + top[0].length;
  return `${page.slice(0, at)}\n    <meta http-equiv="Content-Security-Policy" content="${policy}" />${page.slice(at)}`;
}

export interface SlaDeskConsoleProps {
  /** Production: the bucket and the deployment's logs are retained. Otherwise they go with the stack, the bucket emptied first. */
  readonly retain: boolean;
  /** Of the deployment function's logs. @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
  /** The console's own domain, with an ACM certificate in us-east-1. @default the distribution's domain */
  readonly domain?: { readonly domainName: string; readonly certificateArn: string };
}

export interface ConsoleConfig {
  readonly apiUrl: string;
  readonly region: string;
  readonly userPoolClientId: string;
  /** Cognito's managed login, e.g. https://sla-desk-prod.auth.eu-north-1.amazoncognito.com */
  readonly authUrl: string;
}

/**
 * The console on AWS: a private bucket behind CloudFront (origin access
 * control), with a strict CSP, HSTS, nosniff and no framing. One build serves
 * every stage: `config.json`, written at deploy, says where the API and the
 * sign-in are.
 */
export class SlaDeskConsole extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  readonly url: string;
  /** The origins the page may fetch from besides its own: the API and Cognito (from deploy), and any allowConnect adds (the buckets of presigned downloads and uploads). */
  private readonly connectOrigins: ConnectOrigin[] = [];
  /** Where sign-in goes: Cognito's managed login, from deploy. */
  private readonly formOrigins: string[] = [];
  private readonly retain: boolean;
  private readonly logRetention: RetentionDays;
  /** Set by deploy(), which writes the connect origins into the page as they are then. */
  private deployed = false;

  constructor(scope: Construct, id: string, props: SlaDeskConsoleProps) {
    super(scope, id);
    this.retain = props.retain;
    this.logRetention = props.logRetention ?? RetentionDays.THREE_MONTHS;
    if (!existsSync(join(CONSOLE_BUILD, 'index.html'))) throw new Error('the console is not built: run npm run build:console before cdk synth');
    this.bucket = new Bucket(this, 'ConsoleBucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      // Only the build lives here, rewritten by every deploy. Production keeps it rather than run one more
      // function at deletion; a development stage's is emptied (the report bucket's function does it) and goes.
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      autoDeleteObjects: !props.retain,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'The bucket holds only the public console build, rewritten on every deploy; its reads are CloudFront requests, which the distribution logs.',
    });
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'sla-desk console',
      defaultRootObject: 'index.html',
      ...(props.domain
        ? {
            domainNames: [props.domain.domainName],
            certificate: Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        responseHeadersPolicy: new ResponseHeadersPolicy(this, 'SecurityHeaders', {
          comment: 'sla-desk console security headers',
          securityHeadersBehavior: {
            // The page talks to its own origin, the API, Cognito and the buckets it is given URLs of, and to nothing else:
            // deploy() and allowConnect name them by their hosts (a CSP wildcard matches only hosts that end in
            // the rest of the pattern: `*.execute-api.amazonaws.com` never matched the API's host).
            contentSecurityPolicy: {
              contentSecurityPolicy: Lazy.string({
                produce: () =>
                  `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src ${selfAnd(this.connectOrigins.map((o) => o.header))}; frame-ancestors 'none'; base-uri 'none'; form-action ${selfAnd(this.formOrigins)}`,
              }),
              override: true,
            },
            strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, preload: false, override: true },
            contentTypeOptions: { override: true },
            frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
            referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
          },
        }),
      },
    });
    this.url = `https://${props.domain?.domainName ?? this.distribution.distributionDomainName}`;
    for (const [rule, reason] of [
      ['AwsSolutions-CFR1', 'The console serves every country the provider has customers in; sign-in and the API decide who may do anything.'],
      [
        'AwsSolutions-CFR2',
        'The distribution serves static files only; the API, which holds the data, has per-route throttling. A CloudFront web ACL would have to live in a us-east-1 stack and costs $5 a month plus $1 a rule, for files anyone may read.',
      ],
      ['AwsSolutions-CFR3', 'Access logs of static files add cost and little: the API logs every request that touches data.'],
      ...(props.domain
        ? []
        : ([
            [
              'AwsSolutions-CFR4',
              'The default CloudFront domain is used until a custom domain and certificate are configured (context consoleDomain, consoleCertificateArn); viewers negotiate TLS 1.2 where they can.',
            ],
          ] as const)),
    ] as const) {
      Validations.of(this.distribution).acknowledge({ id: rule, reason });
    }
  }

  /**
   * Lets the page fetch from one more origin. Before deploy(), which writes the
   * origins into the page. `inHeader` is how the response headers name it when
   * naming it exactly would be a dependency cycle (a host pattern); the page's
   * own policy names it exactly, and the browser enforces both.
   */
  allowConnect(origin: string, inHeader = origin): void {
    if (this.deployed) throw new Error(`allowConnect(${origin}) after deploy(): the page's own policy, written at deploy, would not name it`);
    this.connectOrigins.push({ header: inHeader, page: origin });
  }

  /**
   * Puts the build, and `config.json` for this stage, into the bucket at deploy,
   * and lets the page talk to the API and Cognito config.json names: the
   * response headers by the API's host down to its region, the page itself
   * (`index.html`, written at deploy) by the API's exact host.
   */
  deploy(config: ConsoleConfig): BucketDeployment {
    // The API's host is <id>.execute-api.<region>.<suffix>. The headers policy names it but for the id: naming the
    // id would make the policy depend on the API, whose CORS names this distribution, which uses the policy, and
    // CloudFormation refuses the cycle. A CSP wildcard stands for the labels in front of the rest, so this
    // admits this region's execute-api hosts only.
    if (!config.apiUrl.includes('.execute-api.')) throw new Error(`the console's CSP names execute-api hosts; name this API's origin too: ${config.apiUrl}`);
    const stack = Stack.of(this);
    const apiHosts = `https://*.execute-api.${stack.region}.${stack.urlSuffix}`;
    // Cognito's managed login by its exact origin: the fetch to its token endpoint, and the sign-in it is.
    const auth = originOf(config.authUrl, 'authUrl');
    this.connectOrigins.unshift({ header: apiHosts, page: originOf(config.apiUrl, 'apiUrl') }, { header: auth, page: auth });
    this.formOrigins.push(auth);
    this.deployed = true;
    // The page carries a second policy, which names the API by its exact origin (its id a deploy-time value the
    // deployment fills in, like config.json's): nothing the distribution depends on, so no cycle. A browser enforces
    // every policy a page has, so the page may connect only where both allow: its own API, not this region's others.
    const pagePolicy = `connect-src ${selfAnd(this.connectOrigins.map((o) => o.page))}`;
    const deployment = new BucketDeployment(this, 'Deployment', {
      destinationBucket: this.bucket,
      distribution: this.distribution,
      // The build but its page, then the page with its policy: nothing else writes index.html.
      sources: [
        Source.asset(CONSOLE_BUILD, { exclude: [PAGE] }),
        Source.data(PAGE, withPolicy(readFileSync(join(CONSOLE_BUILD, PAGE), 'utf8'), pagePolicy)),
        Source.jsonData('config.json', { auth: 'cognito', ...config }),
      ],
      memoryLimit: 256,
      // Its own log group, kept or destroyed with the stage like every other.
      logGroup: new LogGroup(this, 'DeploymentLogs', {
        retention: this.logRetention,
        removalPolicy: this.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      }),
    });
    // CDK's own singleton function does the copying; its grants are CDK's, scoped to the assets and this bucket.
    const handler = stack.node.findAll().find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (handler) {
      const deploys = 'The bucket-deployment function (CDK) runs only during deploys, copying the console build from the CDK asset bucket into this bucket and invalidating this distribution';
      Validations.of(handler).acknowledge(
        { id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', reason: `${deploys}; the managed policy only lets it write its own logs.` },
        ...['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*'].map((action) => ({
          id: `AwsSolutions-IAM5[Action::${action}]`,
          reason: `${deploys}; CDK grants ${action} on those two buckets only.`,
        })),
        {
          id: `AwsSolutions-IAM5[Resource::arn:aws:s3:::cdk-hnb659fds-assets-${named(stack.account, 'AWS::AccountId')}-${named(stack.region, 'AWS::Region')}/*]`,
          reason: `${deploys}; it reads the build's asset from the bootstrap asset bucket.`,
        },
        { id: `AwsSolutions-IAM5[Resource::${nagResourceName(this, this.bucket.arnForObjects('*'))}]`, reason: `${deploys}; it replaces the build's files, named at deploy.` },
        { id: 'AwsSolutions-IAM5[Resource::*]', reason: `${deploys}; CloudFront invalidations take no resource-level permission.` },
        { id: 'AwsSolutions-L1', reason: `${deploys}; CDK pins its runtime, and upgrading aws-cdk-lib upgrades it.` },
      );
    }
    return deployment;
  }
}
