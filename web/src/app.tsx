import { useState } from 'preact/hooks';
import { hasToken, setToken } from './api/client';
import { Consultancy } from './pages/consultancy';
import { Queue } from './pages/queue';
import { MyTickets } from './pages/my-tickets';
import { NewTicket } from './pages/new-ticket';
import { SignIn } from './pages/sign-in';
import { TicketPage } from './pages/ticket';
import { go, type Session, useRoute } from './session';

/** The console: who is signed in decides the pages; the hash decides which one. */
export function App() {
  const [session, setSession] = useState<Session | undefined>();
  const route = useRoute();
  if (!session || !hasToken()) return <SignIn onSignedIn={setSession} />;
  const ticket = /^\/tickets\/([A-Z][A-Z0-9]{1,15}-\d+)$/.exec(route)?.[1];
  return (
    <>
      <header>
        <strong>sla-desk</strong>
        <nav aria-label="Main">
          <a href="#/">{session.role === 'customer' ? 'My tickets' : session.role === 'finance' ? 'Consultancy this month' : 'Queue'}</a>
          {session.role === 'customer' ? (
            <>
              {' · '}
              <a href="#/new">New ticket</a>
            </>
          ) : null}
          {session.role !== 'finance' ? (
            <>
              {' · '}
              <a href="#/consultancy">Consultancy</a>
            </>
          ) : null}
        </nav>
        <span class="who">Signed in as {session.label}</span>
        <button
          type="button"
          onClick={() => {
            setToken(undefined);
            setSession(undefined);
            go('/');
          }}
        >
          Sign out
        </button>
      </header>
      <main>
        {ticket ? (
          <TicketPage id={ticket} session={session} />
        ) : route === '/consultancy' || session.role === 'finance' ? (
          <Consultancy session={session} />
        ) : route === '/new' && session.role === 'customer' ? (
          <NewTicket />
        ) : session.role === 'customer' ? (
          <MyTickets />
        ) : (
          <Queue />
        )}
      </main>
    </>
  );
}
