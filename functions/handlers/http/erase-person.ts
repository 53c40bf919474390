import { NotFoundError } from '../../domain/errors';
import { ATTACHMENT_FILES } from '../attachments/attachment-files';
import { required } from '../config';
import { traced } from '../observability';
import { personalDataOf } from '../services';
import { httpRoute, json } from './http-route';
import { erasePerson } from './routes';

export const handler = httpRoute(
  erasePerson,
  async ({ actor, params, body, deps }) => {
    const subject = params.personId ?? '';
    if (subject.length < 1 || subject.length > 200) throw new NotFoundError(`no person ${subject} is known`);
    return json(200, await personalDataOf(deps).erase(actor, subject, body));
  },
  {
    ...ATTACHMENT_FILES,
    // The inbound bucket, where the raw emails they sent are kept 30 days (none without email into tickets).
    rawMail: async (config) => {
      if (!config.INBOUND_BUCKET) return { delete: async () => {} };
      const { S3RawDeletes } = await import('../../adapters/inbound/s3-raw-deletes');
      return new S3RawDeletes(config.INBOUND_BUCKET, { region: required(process.env.AWS_REGION, 'AWS_REGION'), endpoint: process.env.AWS_ENDPOINT_URL_S3 });
    },
    // The user pool, where the person's account is deleted.
    accounts: async (config) => {
      const [{ CognitoIdentityProviderClient }, { CognitoUserDirectory }] = await Promise.all([
        import('@aws-sdk/client-cognito-identity-provider'),
        import('../../adapters/identity/cognito-user-directory'),
      ]);
      return new CognitoUserDirectory(traced(new CognitoIdentityProviderClient({})), required(config.USER_POOL_ID, 'USER_POOL_ID'));
    },
  },
);
