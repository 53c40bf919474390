import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { LocalMonth } from '../../domain/month';
import type { ReportRegistry, ReportVersion } from '../../domain/reports/report-archive';
import { queryAll } from './client';
import { fromReportVersionItem, INDEX, keys, toReportVersionItem } from './table';

/** Report versions in the table: each recorded once (its number is its key), never rewritten. */
export class DynamoReportRegistry implements ReportRegistry {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(version: ReportVersion): Promise<boolean> {
    try {
      await this.db.send(new PutCommand({ TableName: this.tableName, Item: toReportVersionItem(version), ConditionExpression: 'attribute_not_exists(PK)' }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  versions(month: LocalMonth): Promise<ReportVersion[]> {
    return this.all({ KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.reportVersions(month) }, ConsistentRead: true });
  }

  year(year: number): Promise<ReportVersion[]> {
    return this.all({
      IndexName: INDEX.lists,
      KeyConditionExpression: `${INDEX.lists}PK = :reports AND begins_with(${INDEX.lists}SK, :year)`,
      ExpressionAttributeValues: { ':reports': keys.reports, ':year': keys.reportsOfYear(year) },
    });
  }

  private async all(input: { KeyConditionExpression: string; ExpressionAttributeValues: Record<string, unknown>; IndexName?: string; ConsistentRead?: boolean }): Promise<ReportVersion[]> {
    return (await queryAll(this.db, { TableName: this.tableName, ...input })).map(fromReportVersionItem);
  }
}
