import { useEffect, useState } from 'preact/hooks';
import { setBaseUrl } from '../api/client';
import { type CognitoConfig, completeCognitoSignIn, rememberCognito, signInWithCognito } from '../cognito';
import { LOCAL_IDENTITIES, type Session, signInLocally } from '../session';

/** Sign-in: Cognito's managed login on AWS (config.json says so), one button per local identity on the local stack. */
export function SignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [error, setError] = useState<string>();
  const [cognito, setCognito] = useState<CognitoConfig>();
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
      <main>
        <h1>Sign in to sla-desk</h1>
        <button type="button" onClick={() => void signInWithCognito(cognito)}>
          Sign in
        </button>
        {error ? <p role="alert" class="error">{error}</p> : null}
      </main>
    );
  }
  return (
    <main>
      <h1>Sign in to sla-desk</h1>
      <p>The local stack's identities:</p>
      {LOCAL_IDENTITIES.map((identity) => (
        <button
          type="button"
          key={identity.label}
          onClick={async () => {
            try {
              await signInLocally(identity);
              onSignedIn(identity);
            } catch (e) {
              setError(String(e));
            }
          }}
        >
          Sign in as {identity.label}
        </button>
      ))}
      {error ? <p role="alert" class="error">{error}</p> : null}
    </main>
  );
}
