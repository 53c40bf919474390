import { useEffect, useState } from 'preact/hooks';
import { problemText, setToken } from './api/client';
import { syncClock } from './clock';

import { type Session, sessionOf } from './tokens';

export type { Session } from './tokens';

/** The identities the local stack offers; on AWS, Cognito's managed login takes their place. */
export const LOCAL_IDENTITIES: readonly Session[] = [
  { role: 'customer', customerId: 'ACME', label: 'customer ACME' },
  { role: 'customer', customerId: 'GLOBEX', label: 'customer GLOBEX' },
  { role: 'agent', label: 'agent' },
  { role: 'finance', label: 'finance' },
  { role: 'admin', label: 'admin' },
];

/** Mints a token through the local stack's sign-in route (never deployed). */
export async function signInLocally(identity: Session): Promise<Session> {
  const response = await fetch('/_dev/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role: identity.role, customerId: identity.customerId }) });
  if (!response.ok) throw new Error(`sign-in failed: ${response.status}`);
  const { token } = (await response.json()) as { token: string };
  setToken(token);
  return sessionOf(token);
}

/** Signs in as a person the onboard command made under DATA_DIR: their own groups and customer. */
export async function signInLocallyAs(email: string): Promise<Session> {
  const response = await fetch('/_dev/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) });
  if (!response.ok) throw new Error(response.status === 404 ? `no local account ${email}: make it with sla-desk onboard` : `sign-in failed: ${response.status}`);
  const { token } = (await response.json()) as { token: string };
  setToken(token);
  return sessionOf(token);
}

/** Re-renders every 30 s and when the window regains focus: the console's data stays fresh without a socket. */
export function useRefresh(): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const again = () => setTick((n) => n + 1);
    const timer = setInterval(again, 30_000);
    window.addEventListener('focus', again);
    return () => {
      clearInterval(timer);
      window.removeEventListener('focus', again);
    };
  }, []);
  return tick;
}

/** The forms on screen with changes not yet saved: leaving the page asks first. */
const unsaved = new Set<symbol>();
const LEAVE_QUESTION = 'Leave this page? Your changes have not been saved.';

/** Whether leaving now may go ahead: nothing unsaved, or the person said so. */
export const mayLeave = () => unsaved.size === 0 || confirm(LEAVE_QUESTION);

/** Marks the calling form as holding unsaved changes while `dirty`. */
export function useUnsaved(dirty: boolean): void {
  useEffect(() => {
    if (!dirty) return;
    const form = Symbol();
    unsaved.add(form);
    return () => void unsaved.delete(form);
  }, [dirty]);
}

/** The current hash route: `#/tickets/ACME-1` → `/tickets/ACME-1`. Leaving unsaved changes asks first, and staying keeps the address. */
export function useRoute(): string {
  const [route, setRoute] = useState(location.hash.slice(1) || '/');
  useEffect(() => {
    let current = location.hash;
    const changed = () => {
      if (location.hash === current) return;
      const saved = leavingSaved;
      leavingSaved = false;
      if (unsaved.size && !saved && !confirm(LEAVE_QUESTION)) {
        history.replaceState(null, '', current || '#/');
        return;
      }
      current = location.hash;
      setRoute(location.hash.slice(1) || '/');
    };
    const unload = (event: BeforeUnloadEvent) => {
      if (unsaved.size) event.preventDefault();
    };
    window.addEventListener('hashchange', changed);
    window.addEventListener('beforeunload', unload);
    return () => {
      window.removeEventListener('hashchange', changed);
      window.removeEventListener('beforeunload', unload);
    };
  }, []);
  return route;
}

/** A reply being written, kept per ticket in this tab only: gone when the tab closes or the person signs out. */
export const drafts = {
  get: (ticketId: string) => sessionStorage.getItem(`draft:${ticketId}`) ?? '',
  set: (ticketId: string, text: string) => (text ? sessionStorage.setItem(`draft:${ticketId}`, text) : sessionStorage.removeItem(`draft:${ticketId}`)),
  clear: () => {
    for (const key of Object.keys(sessionStorage)) if (key.startsWith('draft:')) sessionStorage.removeItem(key);
  },
};

/** Set by a page that has just saved what it held, so leaving it asks nothing. */
let leavingSaved = false;

/** Goes to a page; `saved`: this page's changes were just saved, so it does not ask. */
export const go = (route: string, { saved = false } = {}) => {
  leavingSaved = saved;
  location.hash = route;
};

/** Loads on mount, on every refresh and when `deps` change, with the server's clock synced: the value, or the problem's words. */
export function useLoad<T>(load: () => Promise<{ data?: T; error?: unknown }>, deps: readonly unknown[] = []): { value: T | undefined; error: string | undefined } {
  const tick = useRefresh();
  const [state, setState] = useState<{ value: T | undefined; error: string | undefined }>({ value: undefined, error: undefined });
  useEffect(() => {
    void (async () => {
      await syncClock();
      const { data, error } = await load();
      setState(error ? { value: undefined, error: problemText(error) } : { value: data, error: undefined });
    })();
  }, [tick, ...deps]);
  return state;
}
