import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAlertOutbox } from './dynamo-alert-outbox';
import { DynamoAttachmentStore } from './dynamo-attachment-store';
import { DynamoConsultancyStore } from './dynamo-consultancy-store';
import { DynamoReportRegistry } from './dynamo-report-registry';
import { DynamoCustomerStore } from './dynamo-customer-store';
import { DynamoIdempotencyStore } from './dynamo-idempotency-store';
import { DynamoIntegrationStore } from './dynamo-integration-store';
import { DynamoPersonStore } from './dynamo-person-store';
import { DynamoPersonalData } from './dynamo-personal-data';
import { DynamoSampleStore } from './dynamo-sample-store';
import { DynamoServiceWindowStore } from './dynamo-service-window-store';
import { DynamoSettingsStore } from './dynamo-settings-store';
import { DynamoTicketStore } from './dynamo-ticket-store';
import type { Retention } from '../../domain/retention';

/** Every store on the one table: the wiring the Lambda functions and the local stack share. */
export function dynamoStores(db: DynamoDBDocumentClient, tableName: string, timeZone: string, retention?: Retention) {
  return {
    store: new DynamoTicketStore(db, tableName, timeZone, retention),
    idempotency: new DynamoIdempotencyStore(db, tableName),
    customers: new DynamoCustomerStore(db, tableName),
    outbox: new DynamoAlertOutbox(db, tableName, retention),
    samples: new DynamoSampleStore(db, tableName, timeZone),
    windows: new DynamoServiceWindowStore(db, tableName),
    settings: new DynamoSettingsStore(db, tableName),
    consultancy: new DynamoConsultancyStore(db, tableName),
    reportRegistry: new DynamoReportRegistry(db, tableName),
    integrations: new DynamoIntegrationStore(db, tableName),
    people: new DynamoPersonStore(db, tableName),
    attachments: new DynamoAttachmentStore(db, tableName, retention),
    personalData: new DynamoPersonalData(db, tableName),
  };
}
