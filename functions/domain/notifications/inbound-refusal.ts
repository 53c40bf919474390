import { REFUSALS, type RefusalReason, type RefusalReply } from '../inbound/inbound-message';
import type { AlertMessage } from './alerts';
import { writeLetter } from './message-text';

/** Why the email made nothing, as its sender can act on it (never whose address it was, nor the desk's rules in detail). */
const WHY: Partial<Record<RefusalReason, string>> = {
  'bad-signature': 'The address it was sent to does not belong to any ticket.',
  'no-such-ticket': 'The ticket it answers does not exist.',
  'unknown-sender': 'It came from an address we do not know for your company.',
  'ambiguous-sender': 'Your address is known for more than one company, so we cannot tell whose ticket it is.',
  'empty-reply': 'Once quoted text and signatures were taken out, nothing was left to add.',
  'too-large': 'It was larger than we can take.',
  unreadable: 'It could not be read as an email.',
};

/**
 * `inbound-refused`: the polite reply to an email that made no ticket and no
 * comment. Its id is the refusal's occasion (sender and Copenhagen day), so the
 * outbox sends one a day per sender however often they write.
 */
export function inboundRefusal(reply: RefusalReply, reason: RefusalReason, consoleUrl: string | undefined): AlertMessage[] {
  const subject = 'Your email did not reach a ticket';
  const letter = writeLetter(
    {
      subject,
      action: 'Your email to support was not added to a ticket: please open a ticket in the console, or reply to one of your ticket’s emails.',
      link: { text: 'Open the support console', route: '#/tickets' },
      closing: [
        ...(WHY[reason] ? [WHY[reason]] : []),
        'Ask your company’s administrator to add your address to its contacts if you should be writing to us.',
        'You get this answer at most once a day.',
      ],
    },
    consoleUrl,
  );
  return [
    {
      id: `${reply.occasionId}:inbound-refused:email`,
      channel: 'email',
      kind: 'inbound-refused',
      about: { type: 'inbound', id: REFUSALS },
      hypercare: false,
      subject,
      body: letter.body,
      html: letter.html,
      recipients: [reply.to],
    },
  ];
}
