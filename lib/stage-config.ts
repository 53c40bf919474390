import { Token } from 'aws-cdk-lib';
import { WARNING_SHARE } from '../functions/domain/contract';
import { parseResolutionTargets, resolutionTargetsText } from '../functions/domain/tickets/resolution';
import { parseRetention, retentionText } from '../functions/domain/retention';
import { STAGE_NAME, STAGE_NAME_RULE } from './deployment-names';
import { isEmail } from './alerts';
import { type ProbeTargetSpec, probeTargets } from './availability-probe';
import { checkDomainPrefix } from './identity';

/** The production stage: retains its data, and deploys only with every setting of its own given. */
const PRODUCTION_STAGE = 'prod';

/**
 * What `prod` must be told, by context key. A list of alternatives is one
 * requirement (the SES sending identity may be given as either key).
 */
export const PRODUCTION_REQUIRED: readonly (readonly string[])[] = [
  ['sesIdentity', 'alertFromEmail'],
  ['onCallEmails'],
  ['hypercareEscalationEmails'],
  ['financeEmails'],
  ['probeTargets'],
  ['authDomainPrefix'],
];

/** ACM certificates for CloudFront live in us-east-1, whatever region the stack is in. */
const CLOUDFRONT_CERTIFICATE = /^arn:aws:acm:us-east-1:\d{12}:certificate\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DOMAIN_NAME = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** Names that mean production: refused, so a mistyped production deploy never comes up teardown-friendly with example addresses. */
const LOOKS_LIKE_PRODUCTION = /^(prod.+|production|prd|live)$/;

/** Everything a stage is deployed with, parsed and checked once, from context (or props) into values. */
export interface StageConfig {
  readonly stage: string;
  /** `prod`: data is retained and protected; every other stage can be torn down. */
  readonly production: boolean;
  readonly onCallEmails: readonly string[];
  readonly alertFromEmail: string;
  readonly sesIdentity?: string;
  readonly sesIdentityExists: boolean;
  readonly hypercareEscalationEmails: readonly string[];
  readonly financeEmails: readonly string[];
  readonly breachTopicEmails: readonly string[];
  readonly probeTargets: readonly ProbeTargetSpec[];
  /** @default computed from stage and account by the stack */
  readonly authDomainPrefix?: string;
  readonly callbackUrls: readonly string[];
  readonly warningShare: number;
  /** The console's own domain and its CloudFront certificate. @default the distribution's domain */
  readonly consoleDomain?: { readonly domainName: string; readonly certificateArn: string };
  /** Table, keys, buckets and log groups are retained (prod), or destroyed with the stack. */
  readonly retainData: boolean;
  /** The CloudWatch dashboard ($3 a month). */
  readonly dashboard: boolean;
  /** Active X-Ray tracing on every function. */
  readonly tracing: boolean;
  /** An Errors and a Throttles alarm for every function besides the aggregate ones (about $0.10 each a month). */
  readonly functionAlarms: boolean;
  /** A WAF web ACL on the Cognito user pool ($5 a month plus $1 a rule). */
  readonly userPoolWaf: boolean;
  /** Cognito's Plus plan with threat protection: billed per monthly active user, no free tier. Essentials otherwise. */
  readonly threatProtection: boolean;
  /** The domain SES receives email into tickets for; without it, no receiving is deployed. */
  readonly inboundDomain?: string;
  /** Resolution targets in business days as the functions read them (RESOLUTION_TARGETS); absent, the documented defaults. */
  readonly resolutionTargets?: string;
  /** Retention periods as the functions read them (RETENTION); absent, the documented defaults (docs/privacy.md). */
  readonly retention?: string;
}

/** Context that does not make a deployable stage; the message lists every problem. */
export class StageConfigError extends Error {
  override readonly name = 'StageConfigError';
}

/** A setting by context key: the stack's prop of that name if given, else the context value. */
export type SettingLookup = (key: string) => unknown;

/**
 * Turns context into a stage's configuration. For `prod` a missing required
 * key, and for any stage a malformed value, fails with one message listing
 * every problem; other stages fall back to the example defaults.
 */
export function stageConfig(stage: string, lookup: SettingLookup): StageConfig {
  if (!STAGE_NAME.test(stage)) throw new StageConfigError(`stage must be ${STAGE_NAME_RULE}: ${stage}`);
  if (LOOKS_LIKE_PRODUCTION.test(stage)) {
    throw new StageConfigError(
      `stage ${stage} looks like production but is not "${PRODUCTION_STAGE}": deploy production as -c stage=${PRODUCTION_STAGE}, or name a development stage otherwise (e.g. dev, dev-alice)`,
    );
  }
  const production = stage === PRODUCTION_STAGE;
  const problems: string[] = [];
  const given = (key: string) => isGiven(lookup(key));
  if (given('integrations')) {
    // No longer a deploy-time list: each integration is a key registered in the table, with no deploy.
    problems.push(
      "context integrations is no longer read: register each customer system's public key with `sla-desk onboard --customer <id> --integration <id> --public-key <file> --stage <stage>` (no deploy), and revoke it with --revoke-integration",
    );
  }

  if (production) {
    const missing = PRODUCTION_REQUIRED.filter((keys) => !keys.some(given)).map((keys) => keys.join(' or '));
    if (missing.length) problems.push(`missing context ${missing.join(', ')}`);
  }

  /** Runs one parser; its error becomes one of the problems, and the fallback stands in. */
  const parse = <T>(fallback: T, run: () => T): T => {
    try {
      return run();
    } catch (error) {
      problems.push((error as Error).message);
      return fallback;
    }
  };

  const onCallEmails = parse([], () => emails(listOr(lookup('onCallEmails'), production ? [] : ['oncall@example.com'], 'onCallEmails'), 'onCallEmails', !production || given('onCallEmails')));
  const sesIdentity = optionalString(lookup('sesIdentity'));
  const alertFromEmail = parse('', () => {
    const from = stringOr(lookup('alertFromEmail'), defaultSender(sesIdentity, production));
    if (from !== '' && !isEmail(from)) throw new Error(`context alertFromEmail is not an email address: ${from}`);
    return from;
  });
  // Production signs in only through the console's own page unless told of more; a development stage also from a local console.
  const callbackUrls = parse([], () => redirectUrls(listOr(lookup('authCallbackUrls'), production ? [] : ['http://localhost:3000/auth/callback'], 'authCallbackUrls'), production));
  const config: StageConfig = {
    stage,
    production,
    onCallEmails,
    alertFromEmail,
    sesIdentity,
    sesIdentityExists: parse(false, () => flag(lookup('sesIdentityExists'), 'sesIdentityExists', false)),
    hypercareEscalationEmails: parse([], () =>
      emails(listOr(lookup('hypercareEscalationEmails'), [], 'hypercareEscalationEmails'), 'hypercareEscalationEmails', production && given('hypercareEscalationEmails')),
    ),
    financeEmails: parse([], () => emails(listOr(lookup('financeEmails'), [], 'financeEmails'), 'financeEmails', production && given('financeEmails'))),
    breachTopicEmails: parse([], () => emails(listOr(lookup('breachTopicEmails'), [], 'breachTopicEmails'), 'breachTopicEmails', false)),
    probeTargets: parse([], () => {
      const targets = probeTargets(lookup('probeTargets'));
      if (production && given('probeTargets') && targets.length === 0) throw new Error('context probeTargets must list at least one target');
      return targets;
    }),
    authDomainPrefix: parse(undefined, () => {
      const prefix = optionalString(lookup('authDomainPrefix'));
      return prefix === undefined ? undefined : checkDomainPrefix(prefix);
    }),
    callbackUrls,
    warningShare: parse(WARNING_SHARE, () => shareOr(lookup('warningShare'), WARNING_SHARE)),
    consoleDomain: parse(undefined, () => consoleDomain(lookup('consoleDomain'), lookup('consoleCertificateArn'))),
    retainData: production,
    // Off by default in every stage: USD 3 a month for views of metrics CloudWatch keeps anyway, and the alarms page without it.
    dashboard: parse(false, () => flag(lookup('dashboard'), 'dashboard', false)),
    // X-Ray's free tier (100,000 traces a month) covers this app's traffic, dev's included.
    tracing: parse(true, () => flag(lookup('tracing'), 'tracing', true)),
    functionAlarms: parse(false, () => flag(lookup('functionAlarms'), 'functionAlarms', false)),
    userPoolWaf: parse(false, () => flag(lookup('userPoolWaf'), 'userPoolWaf', false)),
    // Off by default: a per-user charge would make the bill grow with every agent and customer user.
    threatProtection: parse(false, () => flag(lookup('threatProtection'), 'threatProtection', false)),
    inboundDomain: parse(undefined, () => {
      const domain = optionalString(lookup('inboundDomain'))?.toLowerCase();
      if (domain !== undefined && !DOMAIN_NAME.test(domain)) throw new Error(`context inboundDomain is not a domain name: ${domain}`);
      return domain;
    }),
    resolutionTargets: parse(undefined, () => resolutionTargets(lookup('resolutionTargets'))),
    retention: parse(undefined, () => retention(lookup('retention'))),
  };
  if (problems.length) throw new StageConfigError(`sla-desk stage ${stage}: ${problems.join('; ')}`);
  return config;
}

/** Sign-in redirects: https, or a local console's http://localhost outside production (Cognito refuses other http URLs at deploy). */
function redirectUrls(urls: readonly string[], production: boolean): readonly string[] {
  const bad = urls.filter((url) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return true;
    }
    const local = parsed.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(parsed.hostname);
    return parsed.protocol !== 'https:' && !(local && !production);
  });
  if (bad.length) throw new Error(`context authCallbackUrls must be https URLs${production ? '' : ' (or http://localhost)'}: ${bad.join(', ')}`);
  return urls;
}

/** With only the SES identity given: an address is the sender, a domain sends as sla-desk@ it. */
function defaultSender(sesIdentity: string | undefined, production: boolean): string {
  if (sesIdentity?.includes('@')) return sesIdentity;
  if (sesIdentity) return `sla-desk@${sesIdentity}`;
  return production ? '' : 'sla-desk@example.com';
}

function consoleDomain(domain: unknown, certificate: unknown): StageConfig['consoleDomain'] {
  const domainName = optionalString(domain)?.toLowerCase();
  const certificateArn = optionalString(certificate);
  if (domainName === undefined && certificateArn === undefined) return undefined;
  if (domainName === undefined || certificateArn === undefined) throw new Error('context consoleDomain and consoleCertificateArn go together: give both, or neither');
  if (!DOMAIN_NAME.test(domainName)) throw new Error(`context consoleDomain is not a domain name: ${domainName}`);
  if (!CLOUDFRONT_CERTIFICATE.test(certificateArn)) {
    throw new Error(`context consoleCertificateArn must be an ACM certificate in us-east-1 (CloudFront takes no other region), arn:aws:acm:us-east-1:<account>:certificate/<id>: ${certificateArn}`);
  }
  return { domainName, certificateArn };
}

function isGiven(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Context arrives as JSON from cdk.json and as a string from `-c`; accept both. */
function listOr(value: unknown, fallback: readonly string[], name: string): readonly string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string' && value !== '') {
    if (!value.trim().startsWith('[')) return value.split(',').map((s) => s.trim());
    try {
      return (JSON.parse(value) as unknown[]).map(String);
    } catch {
      throw new Error(`context ${name} must be a comma-separated list or a JSON array`);
    }
  }
  return fallback;
}

/** Fail the synth, not every function's cold start, on a malformed address; `required` asks for at least one. */
function emails(values: readonly string[], name: string, required: boolean): readonly string[] {
  const list = values.map((v) => v.trim()).filter(Boolean);
  if (required && list.length === 0) throw new Error(`context ${name} must list at least one email address`);
  const bad = list.filter((v) => !isEmail(v));
  if (bad.length > 0) throw new Error(`context ${name} has entries that are not email addresses: ${bad.join(', ')}`);
  return list;
}

/** From cdk.json a number, from `-c` a string; outside (0, 1) the functions would refuse to start. */
function shareOr(value: unknown, fallback: number): number {
  if (!isGiven(value)) return fallback;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !(n > 0 && n < 1)) throw new Error(`context warningShare must be a number between 0 and 1 (exclusive): ${String(value)}`);
  return n;
}

/** From cdk.json an object of business days by priority, from `-c` `highest=1,high=3`; checked and written out in full. */
function resolutionTargets(value: unknown): string | undefined {
  if (!isGiven(value)) return undefined;
  const text =
    typeof value === 'object' && value !== null
      ? Object.entries(value)
          .map(([p, days]) => `${p}=${String(days)}`)
          .join(',')
      : String(value);
  try {
    return resolutionTargetsText(parseResolutionTargets(text));
  } catch (error) {
    throw new Error(`context resolutionTargets: ${(error as Error).message}`);
  }
}

/** From cdk.json an object of periods by kind, from `-c` `closedTickets=5y,attachments=1y`; checked and written out in full. */
function retention(value: unknown): string | undefined {
  if (!isGiven(value)) return undefined;
  const text =
    typeof value === 'object' && value !== null
      ? Object.entries(value)
          .map(([kind, period]) => `${kind}=${String(period)}`)
          .join(',')
      : String(value);
  try {
    return retentionText(parseRetention(text));
  } catch (error) {
    throw new Error(`context retention: ${(error as Error).message}`);
  }
}

/** From cdk.json a boolean, from `-c` a string. */
function flag(value: unknown, name: string, fallback: boolean): boolean {
  if (!isGiven(value)) return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`context ${name} must be true or false: ${String(value)}`);
}

/** Cognito domain prefixes are global per region, so the account keeps stages of different accounts apart. */
export function defaultDomainPrefix(stage: string, account: string): string {
  return Token.isUnresolved(account) ? `sla-desk-${stage}` : `sla-desk-${stage}-${account}`;
}
