import { setToken } from './api/client';
import { base64url, pkcePair, type Session, sessionOf } from './tokens';

/** What `config.json` says on AWS: where the API and Cognito's managed login are. */
export interface CognitoConfig {
  readonly auth: 'cognito';
  readonly apiUrl: string;
  readonly userPoolClientId: string;
  readonly authUrl: string;
}

/** The verifier and state must survive the redirect to Cognito and back; they are not credentials, and are removed on return. */
const PENDING = 'sla-desk-sign-in';

/** Off to Cognito's managed login, with the authorization code flow and PKCE. */
export async function signInWithCognito(config: CognitoConfig): Promise<void> {
  const { verifier, challenge } = await pkcePair();
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state }));
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: config.userPoolClientId,
    redirect_uri: `${location.origin}/`,
    scope: 'openid email profile',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
  });
  location.assign(`${config.authUrl}/oauth2/authorize?${query}`);
}

/** Back from Cognito with `?code=`: exchanges it for tokens, keeps the access token in memory only, and says who signed in. */
export async function completeCognitoSignIn(config: CognitoConfig): Promise<Session | undefined> {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  const pending = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  if (!code || !pending) return undefined;
  const { verifier, state } = JSON.parse(pending) as { verifier: string; state: string };
  history.replaceState(null, '', location.pathname + location.hash);
  if (params.get('state') !== state) throw new Error('the sign-in came back with another state: start again');
  const response = await fetch(`${config.authUrl}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: config.userPoolClientId, code, redirect_uri: `${location.origin}/`, code_verifier: verifier }),
  });
  if (!response.ok) throw new Error(`sign-in failed: ${response.status}`);
  const { access_token: token } = (await response.json()) as { access_token: string };
  setToken(token);
  return sessionOf(token);
}

/** The sign-in this page came through, if Cognito's: signing out ends its session too. */
let signedInWith: CognitoConfig | undefined;
export const rememberCognito = (config: CognitoConfig) => (signedInWith = config);

/** Ends Cognito's own session as well (else the next "Sign in" would go straight through); locally there is none. */
export function signOutOfCognito(): void {
  if (!signedInWith) return;
  const query = new URLSearchParams({ client_id: signedInWith.userPoolClientId, logout_uri: `${location.origin}/` });
  location.assign(`${signedInWith.authUrl}/logout?${query}`);
}
