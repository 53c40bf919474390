import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { PARTITION, partitionsUnder } from '../functions/adapters/dynamodb/table';
import { AUTHORIZER_RESULT_TTL_SECONDS, integrationAudience } from '../functions/handlers/auth/integration-assertions';
import type { SlaDeskOperations } from './operations';
import { type FunctionSettings, type LogLevel, SlaDeskFunction } from './sla-desk-function';

/** The header API Gateway hands the authorizer, and caches its answer by. Without it API Gateway answers 401 itself. */
const AUTHORIZER_IDENTITY_SOURCE = '$request.header.Authorization';

export interface SlaDeskAuthorizerProps {
  readonly functions: FunctionSettings;
  /** The table integrations are registered in; the authorizer reads their items, writes people's records, and nothing else. */
  readonly table: ITable;
  /** The pool whose access tokens people call with. */
  readonly userPool: IUserPool;
  /** The people client: a person's access token must name it as client_id. */
  readonly peopleClient: IUserPoolClient;
  /** Pages on-call when the authorizer fails (then nobody can call the API). @default no alarm */
  readonly operations?: SlaDeskOperations;
  readonly logLevel?: LogLevel;
}

/**
 * Who may call the API, for every authenticated route: a Lambda authorizer
 * (REQUEST, payload 2.0, simple responses) that verifies people's Cognito
 * access tokens and integrations' assertions signed with the keys registered
 * in the table (functions/handlers/auth/authorizer.ts). Integrations are table
 * items, so none costs a resource, an app client or a deploy, and there is no
 * audience list to outgrow.
 *
 * Its answers are cached by API Gateway for AUTHORIZER_RESULT_TTL_SECONDS per
 * Authorization header, and it keeps an integration's record at most 30 s:
 * a revoked integration is refused within a minute (integration-assertions.ts).
 */
export class SlaDeskAuthorizer extends Construct {
  readonly function: SlaDeskFunction;
  /** Give it as `authorizer` to each authenticated route (with no authorizationScopes: the authorizer checks the scope). */
  readonly authorizer: HttpLambdaAuthorizer;
  /** The user pool's issuer. */
  readonly issuer: string;
  /** What an integration's assertion must name as aud: urn:sla-desk:<stage>. */
  readonly audience: string;
  /** The authorizer failed (table or the pool's keys out of reach): every caller gets 500. */
  readonly errorsAlarm?: Alarm;

  constructor(scope: Construct, id: string, props: SlaDeskAuthorizerProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.issuer = `https://cognito-idp.${stack.region}.${stack.urlSuffix}/${props.userPool.userPoolId}`;
    this.audience = integrationAudience(props.functions.stage);

    this.function = new SlaDeskFunction(this, 'Function', {
      entry: 'functions/handlers/auth/authorizer.ts',
      description: "sla-desk Lambda authorizer: people's access tokens, integrations' signed assertions",
      logLevel: props.logLevel,
      // The pool's keys are fetched once per container (jose gives up after 5 s); a request waits for the answer.
      timeout: Duration.seconds(6),
      settings: props.functions,
      environment: {
        AUTH_ISSUER: this.issuer,
        PEOPLE_CLIENT_ID: props.peopleClient.userPoolClientId,
        INTEGRATION_AUDIENCE: this.audience,
        TABLE_NAME: props.table.tableName,
      },
    });

    // It reads integration items by key, nothing else: GetItem on INTEGRATION#<id> partitions only.
    this.function.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem'],
        resources: [props.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [partitionsUnder(PARTITION.integration)] } },
      }),
    );
    // It reads people's records, to refuse an erased person's tokens, and records their names and emails from
    // their tokens: BatchGetItem and UpdateItem on PERSON#<subject> partitions only.
    this.function.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['dynamodb:BatchGetItem', 'dynamodb:UpdateItem'],
        resources: [props.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [partitionsUnder(PARTITION.person)] } },
      }),
    );
    if (props.table.encryptionKey) {
      this.function.role.addToPrincipalPolicy(
        new PolicyStatement({
          // Decrypt to read; Encrypt and GenerateDataKey* to write a person's record under the table's key.
          actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*'],
          resources: [props.table.encryptionKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${stack.region}.${stack.urlSuffix}` } },
        }),
      );
      Validations.of(this.function).acknowledge({
        id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        reason:
          "kms:GenerateDataKey* is the action family DynamoDB needs to write items under the table's customer managed key; the statement names that one key and only calls made through DynamoDB.",
      });
    }

    this.authorizer = new HttpLambdaAuthorizer('LambdaAuthorizer', this.function.fn, {
      authorizerName: 'sla-desk',
      identitySource: [AUTHORIZER_IDENTITY_SOURCE],
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      resultsCacheTtl: Duration.seconds(AUTHORIZER_RESULT_TTL_SECONDS),
    });

    this.errorsAlarm = props.operations?.pageOnErrors(
      this.function,
      "the API's authorizer failed: callers get 500 until it answers again (the table or the user pool's keys out of reach?). Check its logs.",
    );
  }
}
