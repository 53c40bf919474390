import { createHash } from 'node:crypto';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsRequestError } from '#adapters/aws/signed-fetch';
import { withCorrelationId } from '#adapters/correlation';
import { LambdaReportRequests, lambdaReportRequests } from '#adapters/reports/lambda-report-requests';
import { parseMonth } from '#domain/month';
import { authorizationOf, awsStandIn, expectedAuthorization } from '../../support/aws-stand-in';

const november = parseMonth('2026-11');
const region = 'eu-north-1';
const clock = Date.parse('2026-12-01T10:00:00Z');
const credentials = { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'IQoJb3JpZ2luX2VjE/session+token==' };
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/** Lambda's Invoke API at 127.0.0.1: 202 for an event, as Lambda answers one it has queued. */
async function lambdaStandIn(...answers: Parameters<typeof awsStandIn>) {
  const server = await awsStandIn(...(answers.length ? answers : [{ status: 202 }]));
  close = server.close;
  return { server, requests: new LambdaReportRequests('sla-desk-report', { region, endpoint: server.endpoint, credentials: async () => credentials, now: () => clock }) };
}

describe('asking the report function for a report', () => {
  it('invokes it asynchronously with the month, who asked and why: one signed POST to the Invoke API, its signature recomputed from what arrived', async () => {
    const { server, requests } = await lambdaStandIn();
    await requests.request(november, 'fin-1', 'a correction');

    expect(server.received).toHaveLength(1);
    const [request] = server.received;
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe('/2015-03-31/functions/sla-desk-report/invocations');
    expect(request!.headers['x-amz-invocation-type']).toBe('Event');
    expect(request!.headers['content-type']).toBe('application/octet-stream');
    expect(JSON.parse(request!.body)).toEqual({ month: '2026-11', by: 'fin-1', reason: 'a correction' });
    expect(request!.headers.host).toBe(server.host);
    expect(request!.headers['x-amz-date']).toBe('20261201T100000Z');
    expect(request!.headers['x-amz-content-sha256']).toBe(sha256(request!.body));
    expect(request!.headers['x-amz-security-token']).toBe(credentials.sessionToken);
    const authorization = authorizationOf(request!.headers.authorization);
    expect(authorization.accessKeyId).toBe('ASIAEXAMPLE');
    expect(authorization.scope).toBe('20261201/eu-north-1/lambda/aws4_request');
    // The invocation type and the payload's type are signed: neither can be changed on the way.
    expect(authorization.signedHeaders).toEqual(['content-type', 'host', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-invocation-type', 'x-amz-security-token']);
    expect(request!.headers.authorization).toBe(await expectedAuthorization(request!, { service: 'lambda', region, credentials, uriEscapePath: true }));

    // Under a request, its correlation id goes along.
    await withCorrelationId('portal-7', () => requests.request(november, 'fin-1', 'again'));
    expect(JSON.parse(server.received[1]!.body)).toEqual({ month: '2026-11', by: 'fin-1', reason: 'again', correlationId: 'portal-7' });
  });

  it("is the request the SDK's InvokeCommand sends: method, path, invocation type, payload type and payload", async () => {
    const { server, requests } = await lambdaStandIn();
    const payload = JSON.stringify({ month: '2026-11', by: 'fin-1', reason: 'a correction' });
    await requests.request(november, 'fin-1', 'a correction');
    const sdk = await new LambdaClient({ region, endpoint: server.endpoint, credentials }).send(
      new InvokeCommand({ FunctionName: 'sla-desk-report', InvocationType: 'Event', Payload: new TextEncoder().encode(payload) }),
    );
    expect(sdk.StatusCode).toBe(202);
    const [ours, theirs] = server.received.map((r) => ({ method: r.method, url: r.url, type: r.headers['x-amz-invocation-type'], contentType: r.headers['content-type'], body: r.body }));
    expect(ours).toEqual(theirs);
  });

  it('escapes a function named by its ARN in the path, as the SDK does', async () => {
    const server = await awsStandIn({ status: 202 });
    close = server.close;
    await new LambdaReportRequests('arn:aws:lambda:eu-north-1:123456789012:function:sla-desk-report', {
      region,
      endpoint: server.endpoint,
      credentials: async () => credentials,
      now: () => clock,
    }).request(november, 'fin-1', 'x');
    expect(server.received[0]!.url).toBe('/2015-03-31/functions/arn%3Aaws%3Alambda%3Aeu-north-1%3A123456789012%3Afunction%3Asla-desk-report/invocations');
    expect(server.received[0]!.headers.authorization).toBe(await expectedAuthorization(server.received[0]!, { service: 'lambda', region, credentials, uriEscapePath: true }));
  });

  it("a refusal is thrown with Lambda's error type; so is a function error", async () => {
    const { server, requests } = await lambdaStandIn({
      status: 403,
      headers: { 'x-amzn-errortype': 'AccessDeniedException:http://internal.amazon.com/coral/com.amazon.coral.service/', 'x-amzn-requestid': 'R1', 'content-type': 'application/json' },
      body: '{"Message":"User is not authorized to perform: lambda:InvokeFunction"}',
    });
    const refused = await requests.request(november, 'fin-1', 'x').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AwsRequestError);
    expect(refused).toMatchObject({ name: 'AccessDeniedException', message: 'User is not authorized to perform: lambda:InvokeFunction', $metadata: { httpStatusCode: 403, requestId: 'R1' } });

    server.answer({ status: 404, headers: { 'content-type': 'application/json' }, body: '{"Type":"User","message":"Function not found: sla-desk-report"}' });
    await expect(requests.request(november, 'fin-1', 'x')).rejects.toMatchObject({ message: 'Function not found: sla-desk-report', $metadata: { httpStatusCode: 404 } });

    server.answer({ status: 200, headers: { 'x-amz-function-error': 'Unhandled' }, body: '{"errorMessage":"boom"}' });
    await expect(requests.request(november, 'fin-1', 'x')).rejects.toMatchObject({ name: 'Unhandled', message: 'the report function failed: {"errorMessage":"boom"}' });
  });

  it("Lambda's throttling (429 TooManyRequestsException) is tried again, three tries in all", async () => {
    const throttled = { status: 429, headers: { 'x-amzn-errortype': 'TooManyRequestsException' }, body: '{"message":"Rate exceeded"}' };
    const { server, requests } = await lambdaStandIn(throttled, { status: 202 });
    await requests.request(november, 'fin-1', 'x');
    expect(server.received).toHaveLength(2);

    server.answer(throttled);
    await expect(requests.request(november, 'fin-1', 'x')).rejects.toMatchObject({ name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } });
    expect(server.received).toHaveLength(5);
  });

  it('needs the function and the region', () => {
    expect(() => lambdaReportRequests({}, region)).toThrow('REPORT_FUNCTION');
    expect(() => lambdaReportRequests({ REPORT_FUNCTION: 'sla-desk-report' }, undefined)).toThrow('AWS_REGION');
    expect(lambdaReportRequests({ REPORT_FUNCTION: 'sla-desk-report' }, region)).toBeInstanceOf(LambdaReportRequests);
  });
});
