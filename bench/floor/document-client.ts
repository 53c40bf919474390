import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The floor of the bundle bench: a function that does nothing but build the
 * DynamoDB document client, bundled and imported as every function is. Each
 * function's init is reported as a multiple of this one's, measured in the same run.
 */
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = async () => ({ statusCode: 200, body: String(typeof db.send) });
