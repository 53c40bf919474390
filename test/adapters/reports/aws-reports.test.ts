import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { S3ReportFiles } from '#adapters/reports/s3-report-files';
import { parseMonth } from '#domain/month';

const s3 = mockClient(S3Client);
const files = new S3ReportFiles(new S3Client({ region: 'eu-north-1' }), 'sla-desk-reports');
const november = parseMonth('2026-11');

beforeEach(() => {
  s3.reset();
});

describe('report files in S3', () => {
  it('writes each file once: a PutObject conditional on the key being new', async () => {
    s3.on(PutObjectCommand).resolves({});
    expect(await files.put(november, 2, 'sla.csv', 'a,b\r\n', 'text/csv; charset=utf-8; header=present')).toBe('written');
    expect(s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: 'sla-desk-reports', Key: 'reports/2026-11/v2/sla.csv', Body: 'a,b\r\n', ContentType: 'text/csv; charset=utf-8; header=present', IfNoneMatch: '*' },
    ]);
  });

  it('an existing key (412) or a concurrent conditional write (409) leaves the first file alone; other failures are thrown', async () => {
    const failure = (status: number, name: string) => new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status } });
    s3.on(PutObjectCommand).rejectsOnce(failure(412, 'PreconditionFailed')).rejectsOnce(failure(409, 'ConditionalRequestConflict')).rejectsOnce(failure(403, 'AccessDenied'));
    expect(await files.put(november, 1, 'report.json', '{}', 'application/json')).toBe('exists');
    expect(await files.put(november, 1, 'report.json', '{}', 'application/json')).toBe('exists');
    await expect(files.put(november, 1, 'report.json', '{}', 'application/json')).rejects.toThrow(S3ServiceException);
  });

  it('reads a file by month, version and name; a missing one is undefined', async () => {
    s3.on(GetObjectCommand, { Key: 'reports/2026-11/v1/report.json' }).resolves({
      Body: { transformToString: async (encoding?: string) => (encoding === 'utf8' ? '{"month":"2026-11"}' : 'wrong encoding') } as never,
    });
    s3.on(GetObjectCommand, { Key: 'reports/2026-11/v3/report.json' }).rejects(new NoSuchKey({ message: 'gone', $metadata: {} }));
    expect(await files.get(november, 1, 'report.json')).toBe('{"month":"2026-11"}');
    expect(await files.get(november, 3, 'report.json')).toBeUndefined();
    expect(s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: 'sla-desk-reports', Key: 'reports/2026-11/v1/report.json' },
      { Bucket: 'sla-desk-reports', Key: 'reports/2026-11/v3/report.json' },
    ]);
  });
});
