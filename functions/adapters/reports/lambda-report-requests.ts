import { escapeUri } from '@smithy/core/protocols';
import type { LocalMonth } from '../../domain/month';
import type { ReportRequests } from '../../domain/reports/report-archive';
import { AwsRequestError, SignedFetch, type SignedFetchOptions } from '../aws/signed-fetch';
import { currentCorrelationId } from '../correlation';

export interface ReportFunctionOptions extends Omit<SignedFetchOptions, 'endpoint'> {
  /** A stand-in for Lambda's API (tests); by default the region's Lambda endpoint. */
  readonly endpoint?: string;
}

/**
 * Asks the report function for a month's report, asynchronously: the API
 * answers 202 at once. The request's correlation id goes along, so the report's
 * logs and notices carry it. One signed call to Lambda's Invoke API
 * (`X-Amz-Invocation-Type: Event`) with the SDK's Signature V4 signer, without
 * the Lambda client: the API's functions stay small.
 */
export class LambdaReportRequests implements ReportRequests {
  private readonly lambda: SignedFetch;

  constructor(
    private readonly functionName: string,
    options: ReportFunctionOptions,
  ) {
    this.lambda = new SignedFetch('lambda', { ...options, endpoint: options.endpoint ?? `https://lambda.${options.region}.amazonaws.com` });
  }

  /** Lambda queues the event and answers 202; a refusal (or a function error, which an Event invocation never reports) is thrown. */
  async request(month: LocalMonth, by: string, reason: string): Promise<void> {
    const response = await this.lambda.send({
      method: 'POST',
      path: `/2015-03-31/functions/${escapeUri(this.functionName)}/invocations`,
      // As the SDK's InvokeCommand sends a payload of bytes.
      headers: { 'content-type': 'application/octet-stream', 'x-amz-invocation-type': 'Event' },
      body: JSON.stringify({ month, by, reason, correlationId: currentCorrelationId() }),
    });
    const functionError = response.headers.get('x-amz-function-error');
    const answer = await response.text();
    if (functionError) throw new AwsRequestError(functionError, `the report function failed: ${answer.slice(0, 300)}`, response.status, response.headers.get('x-amzn-requestid') ?? undefined);
  }
}

/** The report function named in the environment, in the function's region, with the function's role. */
export function lambdaReportRequests(config: { REPORT_FUNCTION?: string | undefined }, region = process.env.AWS_REGION): LambdaReportRequests {
  if (!config.REPORT_FUNCTION) throw new Error('REPORT_FUNCTION must name the report function');
  if (!region) throw new Error('AWS_REGION must name the region (Lambda sets it)');
  return new LambdaReportRequests(config.REPORT_FUNCTION, { region });
}
