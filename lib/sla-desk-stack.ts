import { CfnOutput, Stack, type StackProps, Tags, Token } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { SlaDeskApi } from './api';
import { SlaDeskData } from './data';
import { SlaDeskIdentity } from './identity';

export interface SlaDeskStackProps extends StackProps {
  /** Deployment stage. @default context `stage`, else 'dev' */
  readonly stage?: string;
  /** MACHINE_CLIENTS for the functions, as JSON. @default context `machineClients`, else '{}' */
  readonly machineClients?: string;
  /** Cognito domain prefix. @default context `authDomainPrefix`, else sla-desk-<stage>-<account> */
  readonly authDomainPrefix?: string;
  /** Sign-in redirect URLs. @default context `authCallbackUrls`, else a localhost URL */
  readonly callbackUrls?: readonly string[];
}

export class SlaDeskStack extends Stack {
  readonly stage: string;
  readonly data: SlaDeskData;
  readonly identity: SlaDeskIdentity;
  readonly api: SlaDeskApi;

  constructor(scope: Construct, id: string, props: SlaDeskStackProps = {}) {
    super(scope, id, props);
    const context = (key: string): unknown => this.node.tryGetContext(key);

    this.stage = props.stage ?? stringOr(context('stage'), 'dev');
    if (!/^[a-z0-9-]+$/.test(this.stage)) throw new Error(`stage must be lower-case letters, digits and dashes: ${this.stage}`);
    Tags.of(this).add('app', 'sla-desk');
    Tags.of(this).add('stage', this.stage);

    this.data = new SlaDeskData(this, 'Data');

    this.identity = new SlaDeskIdentity(this, 'Identity', {
      domainPrefix: props.authDomainPrefix ?? stringOr(context('authDomainPrefix'), defaultDomainPrefix(this.stage, this.account)),
      callbackUrls: props.callbackUrls ?? listOr(context('authCallbackUrls'), ['http://localhost:3000/auth/callback']),
    });

    this.api = new SlaDeskApi(this, 'Api', {
      table: this.data.table,
      userPool: this.identity.userPool,
      clients: [this.identity.peopleClient, this.identity.machineClient],
      machineClients: props.machineClients ?? machineClientsJson(context('machineClients')),
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url });
    new CfnOutput(this, 'UserPoolId', { value: this.identity.userPool.userPoolId });
    new CfnOutput(this, 'PeopleClientId', { value: this.identity.peopleClient.userPoolClientId });
    new CfnOutput(this, 'MachineClientId', { value: this.identity.machineClient.userPoolClientId });
    new CfnOutput(this, 'AuthIssuer', { value: this.api.issuer });
    new CfnOutput(this, 'TokenEndpoint', { value: `${this.identity.domain.baseUrl()}/oauth2/token` });
    new CfnOutput(this, 'TableName', { value: this.data.table.tableName });
  }
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}

/** Context arrives as JSON from cdk.json and as a string from `-c`; accept both. */
function listOr(value: unknown, fallback: readonly string[]): readonly string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string' && value !== '') {
    return value.trim().startsWith('[') ? (JSON.parse(value) as unknown[]).map(String) : value.split(',').map((s) => s.trim());
  }
  return fallback;
}

function machineClientsJson(value: unknown): string {
  if (value === undefined || value === null || value === '') return '{}';
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  // Fail the synth, not the functions' cold start, on a malformed mapping.
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !Object.values(parsed).every((v) => typeof v === 'string')) {
    throw new Error('context machineClients must be a JSON object of app client id to customer id');
  }
  return JSON.stringify(parsed);
}

/** Cognito domain prefixes are global per region, so the account keeps stages of different accounts apart. */
function defaultDomainPrefix(stage: string, account: string): string {
  return Token.isUnresolved(account) ? `sla-desk-${stage}` : `sla-desk-${stage}-${account}`;
}
