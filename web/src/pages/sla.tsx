import { countdown } from '../countdown';
import { serverNow } from '../clock';

/** A ticket's first-response SLA: met or breached, or a live business-time countdown that says when it is paused. */
export function Sla({ state, dueAt }: { state: string; dueAt: string }) {
  if (state !== 'running') return <span class={`badge ${state}`}>{state === 'met' ? 'SLA met' : 'SLA breached'}</span>;
  const left = countdown(Date.parse(dueAt), serverNow());
  return (
    <span class={`badge ${left.overdue ? 'overdue' : ''}`}>
      {left.text}
      {left.paused ? ` (${left.paused})` : ''}
    </span>
  );
}
