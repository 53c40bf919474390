import { useEffect, useState } from 'preact/hooks';
import { syncClock } from './clock';
import { isCustomerId, TICKET_ID } from '#domain/identifiers';
import { ROLE_NAMES } from '#domain/wording';
import { hasToken, setToken } from './api/client';
import { signOutOfCognito } from './cognito';
import { AllTickets, filtersOf } from './pages/all-tickets';
import { Availability } from './pages/availability';
import { Consultancy } from './pages/consultancy';
import { CustomerForm, Customers } from './pages/customers';
import { Hypercare } from './pages/hypercare';
import { Reports } from './pages/reports';
import { ServiceWindows } from './pages/service-windows';
import { Queue } from './pages/queue';
import { MyTickets } from './pages/my-tickets';
import { NewTicket } from './pages/new-ticket';
import { SignIn } from './pages/sign-in';
import { TicketPage } from './pages/ticket';
import { drafts, go, mayLeave, type Session, useRoute } from './session';

/** The desk's pages, agents' and admins' alike. */
const DESK_PAGES: [href: string, text: string][] = [
  ['#/', 'Queue'],
  ['#/tickets?assignee=me', 'Mine'],
  ['#/tickets', 'All tickets'],
  ['#/consultancy', 'Consultancy'],
  ['#/service-windows', 'Service windows'],
  ['#/customers', 'Customers'],
];

/** Each role's pages, in the order the header lists them. */
function links(session: Session): [href: string, text: string][] {
  switch (session.role) {
    case 'customer':
      return [
        ['#/', 'My tickets'],
        ['#/new', 'New ticket'],
        ['#/consultancy', 'Consultancy'],
        ['#/hypercare', 'Hypercare'],
        ['#/availability', 'Availability'],
        ['#/reports', 'Reports'],
      ];
    case 'agent':
      return DESK_PAGES;
    case 'finance':
      return [
        ['#/', 'Consultancy this month'],
        ['#/reports', 'Reports'],
      ];
    case 'admin':
      return [...DESK_PAGES, ['#/reports', 'Reports']];
  }
}

/** Who is signed in, in words: "Ada Agent (Support agent)", "Alice at ACME (Customer ACME)". */
const signedInAs = (session: Session) => {
  const role = session.role === 'customer' ? `Customer ${session.customerId}` : ROLE_NAMES[session.role];
  return session.name ? `${session.name} (${role})` : role;
};

/** The console: who is signed in decides the pages; the hash decides which one. */
export function App() {
  const [session, setSession] = useState<Session | undefined>();
  const route = useRoute();
  // Pages work out today and this month from the server's clock as they render: sync it before the first one does.
  const [synced, setSynced] = useState(false);
  useEffect(() => {
    if (session) void syncClock().finally(() => setSynced(true));
  }, [session]);
  if (!session || !hasToken()) return <SignIn onSignedIn={setSession} />;
  if (!synced) return <p>Loading…</p>;
  const [path = '/', search = ''] = route.split('?');
  const [, page, id] = /^\/([a-z-]+)\/([^/]+)$/.exec(path) ?? [];
  const ticket = page === 'tickets' && TICKET_ID.test(id ?? '') ? id : undefined;
  const editing = page === 'customers' && (id === 'new' || isCustomerId(id)) ? id : undefined;
  const hypercareOf = page === 'hypercare' && isCustomerId(id) ? id : route === '/hypercare' ? session.customerId : undefined;
  return (
    <>
      <header class="app-header">
        <strong>sla-desk</strong>
        <nav aria-label="Main">
          {links(session).map(([href, text], i) => (
            <span key={href}>
              {i ? ' · ' : ''}
              <a href={href} aria-current={href === `#${route}` ? 'page' : undefined}>
                {text}
              </a>
            </span>
          ))}
        </nav>
        <span class="who">Signed in as {signedInAs(session)}</span>
        <button
          type="button"
          onClick={() => {
            if (!mayLeave()) return;
            setToken(undefined);
            setSession(undefined);
            drafts.clear();
            go('/', { saved: true });
            signOutOfCognito();
          }}
        >
          Sign out
        </button>
      </header>
      <main>
        {ticket ? (
          <TicketPage key={ticket} id={ticket} />
        ) : hypercareOf ? (
          <Hypercare key={hypercareOf} session={session} customerId={hypercareOf} />
        ) : editing && session.role === 'admin' ? (
          <CustomerForm key={editing} {...(editing === 'new' ? {} : { customerId: editing })} />
        ) : path === '/tickets' && (session.role === 'agent' || session.role === 'admin') ? (
          <AllTickets filters={filtersOf(search)} />
        ) : route === '/customers' && session.role !== 'customer' ? (
          <Customers admin={session.role === 'admin'} />
        ) : route === '/availability' ? (
          <Availability />
        ) : route === '/reports' ? (
          <Reports session={session} />
        ) : route === '/service-windows' && (session.role === 'agent' || session.role === 'admin') ? (
          <ServiceWindows />
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
