import { describe, expect, it } from 'vitest';
import { defaultDomainPrefix, PRODUCTION_REQUIRED, StageConfigError, stageConfig } from '../../lib/stage-config';

/** A complete production context, as `-c` passes it: strings. */
const PROD: Record<string, string> = {
  sesIdentity: 'provider.example',
  alertFromEmail: 'sla-desk@alerts.provider.example',
  onCallEmails: 'oncall@provider.example,second-line@provider.example',
  hypercareEscalationEmails: 'lead@provider.example',
  financeEmails: 'finance@provider.example',
  probeTargets: JSON.stringify([{ name: 'portal', url: 'https://portal.provider.example/health' }]),
  authDomainPrefix: 'provider-support',
};

const config = (stage: string, context: Record<string, unknown>) => stageConfig(stage, (key) => context[key]);
const failure = (stage: string, context: Record<string, unknown>): string => {
  try {
    config(stage, context);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`stage ${stage} was accepted`);
};

describe('the prod stage', () => {
  it('names every missing required key in one message', () => {
    // Its own type, so the app prints the message alone.
    expect(() => config('prod', {})).toThrow(StageConfigError);
    expect(failure('prod', {})).toBe('sla-desk stage prod: missing context sesIdentity or alertFromEmail, onCallEmails, hypercareEscalationEmails, financeEmails, probeTargets, authDomainPrefix');
  });

  it('names only the keys still missing, and treats an empty value as missing', () => {
    const { financeEmails, authDomainPrefix, ...rest } = PROD;
    expect([financeEmails, authDomainPrefix]).not.toContain(undefined);
    expect(failure('prod', { ...rest, onCallEmails: '' })).toBe('sla-desk stage prod: missing context onCallEmails, financeEmails, authDomainPrefix');
  });

  it('lists the missing keys and the malformed values together', () => {
    const message = failure('prod', { ...PROD, financeEmails: undefined, onCallEmails: 'oncall@provider.example,pager', consoleDomain: 'console.provider.example' });
    expect(message).toMatch(/^sla-desk stage prod: missing context financeEmails; /);
    expect(message).toContain('context onCallEmails has entries that are not email addresses: pager');
    expect(message).toContain('consoleDomain and consoleCertificateArn go together');
  });

  it('takes the SES identity alone, the sender then being sla-desk@ its domain', () => {
    const { alertFromEmail, ...rest } = PROD;
    expect(alertFromEmail).toBeDefined();
    expect(config('prod', rest)).toMatchObject({ alertFromEmail: 'sla-desk@provider.example', sesIdentity: 'provider.example' });
    expect(config('prod', { ...rest, sesIdentity: 'desk@provider.example' }).alertFromEmail).toBe('desk@provider.example');
  });

  it('takes the sender alone (its domain becomes the identity later)', () => {
    const { sesIdentity, ...rest } = PROD;
    expect(sesIdentity).toBeDefined();
    expect(config('prod', rest)).toMatchObject({ alertFromEmail: 'sla-desk@alerts.provider.example', sesIdentity: undefined });
  });

  it('with everything given: retains data, tracing on, the dashboard, per-function alarms and WAF off', () => {
    const prod = config('prod', PROD);
    expect(prod).toMatchObject({
      stage: 'prod',
      production: true,
      retainData: true,
      dashboard: false,
      tracing: true,
      functionAlarms: false,
      userPoolWaf: false,
      onCallEmails: ['oncall@provider.example', 'second-line@provider.example'],
      hypercareEscalationEmails: ['lead@provider.example'],
      financeEmails: ['finance@provider.example'],
      probeTargets: [{ name: 'portal', url: 'https://portal.provider.example/health' }],
      authDomainPrefix: 'provider-support',
      consoleDomain: undefined,
      // Only the console's own page (the stack adds it): no localhost redirect in production.
      callbackUrls: [],
    });
  });

  it('takes https sign-in redirects only, and at least one probe target when the list is given', () => {
    expect(config('prod', { ...PROD, authCallbackUrls: 'https://portal.provider.example/callback' }).callbackUrls).toEqual(['https://portal.provider.example/callback']);
    expect(failure('prod', { ...PROD, authCallbackUrls: 'http://localhost:3000/auth/callback' })).toBe(
      'sla-desk stage prod: context authCallbackUrls must be https URLs: http://localhost:3000/auth/callback',
    );
    expect(failure('dev', { authCallbackUrls: 'http://portal.example/cb,not a url' })).toBe(
      'sla-desk stage dev: context authCallbackUrls must be https URLs (or http://localhost): http://portal.example/cb, not a url',
    );
    expect(config('dev', { authCallbackUrls: 'http://localhost:5173/,https://dev.example/cb' }).callbackUrls).toEqual(['http://localhost:5173/', 'https://dev.example/cb']);
    expect(failure('prod', { ...PROD, probeTargets: '[]' })).toBe('sla-desk stage prod: context probeTargets must list at least one target');
  });

  it('requires a non-empty list when a list is given as JSON', () => {
    expect(failure('prod', { ...PROD, financeEmails: '[]' })).toBe('sla-desk stage prod: context financeEmails must list at least one email address');
  });

  it('lists six requirements, the SES identity as either of two keys', () => {
    expect(PRODUCTION_REQUIRED.map((keys) => keys.join('|'))).toEqual(['sesIdentity|alertFromEmail', 'onCallEmails', 'hypercareEscalationEmails', 'financeEmails', 'probeTargets', 'authDomainPrefix']);
  });
});

describe('the console domain', () => {
  const certificate = 'arn:aws:acm:us-east-1:123456789012:certificate/0f2b7c1e-3a4d-4e5f-8a9b-0c1d2e3f4a5b';

  it('takes a domain with a us-east-1 certificate', () => {
    expect(config('prod', { ...PROD, consoleDomain: 'Console.Provider.Example', consoleCertificateArn: certificate }).consoleDomain).toEqual({
      domainName: 'console.provider.example',
      certificateArn: certificate,
    });
  });

  it('refuses a certificate outside us-east-1, a malformed ARN, a certificate alone, and a malformed domain', () => {
    expect(failure('dev', { consoleDomain: 'console.provider.example', consoleCertificateArn: certificate.replace('us-east-1', 'eu-north-1') })).toMatch(
      /consoleCertificateArn must be an ACM certificate in us-east-1/,
    );
    expect(failure('dev', { consoleDomain: 'console.provider.example', consoleCertificateArn: 'arn:aws:acm:us-east-1:123:certificate/x' })).toMatch(/consoleCertificateArn/);
    expect(failure('dev', { consoleCertificateArn: certificate })).toMatch(/consoleDomain and consoleCertificateArn go together/);
    expect(failure('dev', { consoleDomain: 'https://console.provider.example', consoleCertificateArn: certificate })).toMatch(/consoleDomain is not a domain name/);
  });
});

describe('development stages', () => {
  it('keep the example defaults with no context, can be torn down, and run without a dashboard', () => {
    expect(config('dev', {})).toMatchObject({
      production: false,
      retainData: false,
      dashboard: false,
      tracing: true,
      functionAlarms: false,
      userPoolWaf: false,
      onCallEmails: ['oncall@example.com'],
      alertFromEmail: 'sla-desk@example.com',
      hypercareEscalationEmails: [],
      financeEmails: [],
      probeTargets: [],
      authDomainPrefix: undefined,
      callbackUrls: ['http://localhost:3000/auth/callback'],
      warningShare: 0.75,
    });
  });

  it('take resolution targets in business days from a cdk.json object or a -c string, the rest keeping their defaults, and refuse anything else', () => {
    expect(config('dev', {}).resolutionTargets).toBeUndefined();
    expect(config('dev', { resolutionTargets: { highest: 0.5, low: 8 } }).resolutionTargets).toBe('highest=0.5,high=3,medium=5,low=8,lowest=20');
    expect(config('dev', { resolutionTargets: 'high=2' }).resolutionTargets).toBe('highest=1,high=2,medium=5,low=10,lowest=20');
    expect(failure('dev', { resolutionTargets: { urgent: 1 } })).toMatch(/context resolutionTargets: resolution targets are priority=business days/);
    expect(failure('dev', { resolutionTargets: 'highest=0' })).toMatch(/context resolutionTargets/);
  });

  it('accept other lower-case names as development stages', () => {
    expect(config('dev-alice', {})).toMatchObject({ stage: 'dev-alice', production: false, retainData: false });
  });

  it.each(['production', 'prod-eu', 'prd', 'live'])('refuse %s, which looks like production', (stage) => {
    expect(failure(stage, {})).toMatch(new RegExp(`stage ${stage} looks like production.*-c stage=prod`));
  });

  it('refuse a name that is not 1–20 lower-case letters, digits and dashes', () => {
    expect(failure('Dev', {})).toMatch(/stage must be 1–20 lower-case letters, digits and dashes: Dev/);
    expect(failure('dev-a-very-long-stage-name', {})).toMatch(/stage must be 1–20 lower-case letters/);
    expect(config('dev-20-characters-ok', {}).stage).toBe('dev-20-characters-ok');
  });

  it('switch the cost knobs by context, from cdk.json booleans or -c strings, and refuse anything else', () => {
    expect(config('dev', { dashboard: 'true', tracing: false, functionAlarms: 'true', userPoolWaf: true })).toMatchObject({
      dashboard: true,
      tracing: false,
      functionAlarms: true,
      userPoolWaf: true,
    });
    expect(config('prod', { ...PROD, dashboard: 'false' }).dashboard).toBe(false);
    expect(failure('dev', { dashboard: 'yes', tracing: 'on' })).toBe('sla-desk stage dev: context dashboard must be true or false: yes; context tracing must be true or false: on');
  });

  it('still refuse malformed values: addresses, shares, prefixes, probe targets, lists', () => {
    const message = failure('dev', {
      hypercareEscalationEmails: 'lead@provider.example,lead',
      warningShare: '1.5',
      authDomainPrefix: 'aws-support',
      probeTargets: '[{"name":"Portal","url":"https://portal.example.com"}]',
    });
    for (const part of [
      'context hypercareEscalationEmails has entries that are not email addresses: lead',
      'context warningShare must be a number between 0 and 1 (exclusive): 1.5',
      'context authDomainPrefix may not contain aws: aws-support',
      'context probeTargets must be a JSON array',
    ]) {
      expect(message).toContain(part);
    }
  });
});

describe('integrations', () => {
  it('are no deploy-time list any more: the retired context key names the command that registers one', () => {
    expect(failure('dev', { integrations: 'ACME,GLOBEX' })).toMatch(
      /context integrations is no longer read: register each customer system's public key with `sla-desk onboard --customer <id> --integration <id> --public-key <file> --stage <stage>` \(no deploy\)/,
    );
  });
});

describe('the default Cognito domain prefix', () => {
  it('carries the account when the stack knows it', () => {
    expect(defaultDomainPrefix('dev', '123456789012')).toBe('sla-desk-dev-123456789012');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an unresolved CDK token, as CDK writes it into a string
    expect(defaultDomainPrefix('dev', '${Token[AWS.AccountId.7]}')).toBe('sla-desk-dev');
  });
});
