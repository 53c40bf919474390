import { useEffect, useState } from 'preact/hooks';
import { setBaseUrl } from '../api/client';
import { type CognitoConfig, completeCognitoSignIn, rememberCognito, signInWithCognito } from '../cognito';
import { LOCAL_IDENTITIES, type Session, signInLocally, signInLocallyAs } from '../session';
import { Alert } from '../form';

/** Sign-in: Cognito's managed login on AWS (config.json says so); on the local stack one button per local identity, or an onboarded person by email. */
export function SignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [error, setError] = useState<string>();
  const [cognito, setCognito] = useState<CognitoConfig>();
  const [email, setEmail] = useState('');
  useEffect(() => {
    void (async () => {
      const config = (await (await fetch('/config.json', { cache: 'no-store' })).json()) as { auth: string } & Partial<CognitoConfig>;
      if (config.auth !== 'cognito') return;
      const settings = config as CognitoConfig;
      setBaseUrl(settings.apiUrl);
      setCognito(settings);
      rememberCognito(settings);
      try {
        const session = await completeCognitoSignIn(settings);
        if (session) onSignedIn(session);
      } catch (e) {
        setError(String(e));
      }
    })();
  }, []);
  if (cognito) {
    return (
      <main class="sign-in">
        <h1>Sign in to sla-desk</h1>
        <p class="hint">Support, first-response times and availability, as the contract promises them.</p>
        <button type="button" onClick={() => void signInWithCognito(cognito)}>
          Sign in
        </button>
        <Alert text={error} />
      </main>
    );
  }
  return (
    <main class="sign-in">
      <h1>Sign in to sla-desk</h1>
      <p class="hint">The local stack's people, one per role:</p>
      {LOCAL_IDENTITIES.map((identity) => (
        <button
          type="button"
          key={identity.label}
          onClick={async () => {
            try {
              onSignedIn(await signInLocally(identity));
            } catch (e) {
              setError(String(e));
            }
          }}
        >
          Sign in as {identity.label}
        </button>
      ))}
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          try {
            onSignedIn(await signInLocallyAs(email.trim()));
          } catch (e) {
            setError(String(e));
          }
        }}
      >
        <label>
          Or as a person onboarded here (<code>sla-desk onboard</code>):{' '}
          <input type="email" name="email" required autocomplete="username" value={email} onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit" class="secondary">
          Sign in
        </button>
      </form>
      <Alert text={error} />
    </main>
  );
}
