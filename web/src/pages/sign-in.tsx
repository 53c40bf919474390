import { useState } from 'preact/hooks';
import { LOCAL_IDENTITIES, type Session, signInLocally } from '../session';

/** The local stack's sign-in: one button per local identity. */
export function SignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [error, setError] = useState<string>();
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
