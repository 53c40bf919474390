/** A plain-text message as a mail program writes it (RFC 5322, CRLF), on Mon 2 Nov 2026: the tests' and the bench's inbound mail. */
export function plainMessage(from: string, to: string, subject: string, body: string, messageId: string): string {
  return [
    `From: ${from}`,
    `To: ${to}`,
    `Subject: ${subject}`,
    'Date: Mon, 2 Nov 2026 09:30:00 +0100',
    `Message-ID: <${messageId}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    body,
    '',
  ].join('\r\n');
}
