import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { LocalMonth } from '../../domain/month';
import type { ReportRequests } from '../../domain/reports/report-archive';
import { currentCorrelationId } from '../correlation';

/** Asks the report function for a month's report, asynchronously: the API answers 202 at once. The request's correlation id goes along, so the report's logs and notices carry it. */
export class LambdaReportRequests implements ReportRequests {
  constructor(
    private readonly lambda: LambdaClient,
    private readonly functionName: string,
  ) {}

  async request(month: LocalMonth, by: string, reason: string): Promise<void> {
    await this.lambda.send(new InvokeCommand({ FunctionName: this.functionName, InvocationType: 'Event', Payload: new TextEncoder().encode(JSON.stringify({ month, by, reason, correlationId: currentCorrelationId() })) }));
  }
}

/** `capture` instruments the client (tracing), as the function sets it up. */
export function lambdaReportRequests(config: { REPORT_FUNCTION?: string | undefined }, capture: (client: LambdaClient) => LambdaClient = (client) => client): LambdaReportRequests {
  if (!config.REPORT_FUNCTION) throw new Error('REPORT_FUNCTION must name the report function');
  return new LambdaReportRequests(capture(new LambdaClient({})), config.REPORT_FUNCTION);
}
