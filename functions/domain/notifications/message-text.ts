/**
 * How every message is written: a subject that says what happened, a first
 * line that says what the reader should do, a link into the console where it
 * is known, then the facts. The plain text and the HTML are made from the same
 * parts, so both say the same thing.
 */
export interface Letter {
  readonly subject: string;
  /** The first line: what the reader should do now. */
  readonly action: string;
  /** Where in the console to do it: a console route (`#/tickets/ACME-42`) and what it opens. */
  readonly link?: { readonly text: string; readonly route: string };
  /** What someone wrote (a reply on a ticket), as they wrote it: one paragraph each, after the link. */
  readonly quoted?: { readonly title: string; readonly paragraphs: readonly string[] };
  readonly facts?: readonly (readonly [string, string])[];
  readonly sections?: readonly { readonly title: string; readonly lines: readonly string[] }[];
  /** Last words, one paragraph each. */
  readonly closing?: readonly string[];
}

export interface LetterText {
  readonly subject: string;
  readonly body: string;
  readonly html: string;
}

export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Someone's text as a letter quotes it: paragraphs apart, and each as its HTML part writes it. */
export const paragraphs = (body: string) =>
  body
    .trim()
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
export const paragraphHtml = (paragraph: string) => escapeHtml(paragraph).replace(/\n/g, '<br>');

/** A console route as a full link: `https://console.example/#/tickets/ACME-42`; undefined while the console's address is unknown. */
function consoleLink(consoleUrl: string | undefined, route: string): string | undefined {
  return consoleUrl ? `${consoleUrl.replace(/\/+$/, '')}/${route}` : undefined;
}

/** The message's subject, plain text and HTML. Without a console address the link line is left out and the rest still reads. */
export function writeLetter(letter: Letter, consoleUrl: string | undefined): LetterText {
  const href = letter.link && consoleLink(consoleUrl, letter.link.route);
  const facts = letter.facts ?? [];
  const sections = letter.sections ?? [];
  const closing = letter.closing ?? [];
  const quoted = letter.quoted;
  const text = [
    letter.action,
    ...(href ? [`${letter.link!.text}: ${href}`] : []),
    ...(quoted ? ['', `${quoted.title}:`, ...quoted.paragraphs.flatMap((p, i) => (i ? ['', p] : [p]))] : []),
    ...(facts.length ? ['', ...facts.map(([k, v]) => `${k}: ${v}`)] : []),
    ...sections.flatMap((s) => ['', `${s.title}:`, ...s.lines.map((l) => `- ${l}`)]),
    ...(closing.length ? ['', ...closing] : []),
  ];
  const html = [
    `<p>${escapeHtml(letter.action)}</p>`,
    ...(href ? [`<p>${escapeHtml(letter.link!.text)}: <a href="${escapeHtml(href)}">${escapeHtml(href)}</a></p>`] : []),
    ...(quoted ? [`<p>${escapeHtml(quoted.title)}:</p><blockquote>${quoted.paragraphs.map((p) => `<p>${paragraphHtml(p)}</p>`).join('')}</blockquote>`] : []),
    ...(facts.length ? [`<table>${facts.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}:</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`] : []),
    ...sections.map((s) => `<p>${escapeHtml(s.title)}:</p><ul>${s.lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`),
    ...closing.map((c) => `<p>${escapeHtml(c)}</p>`),
  ];
  return { subject: letter.subject, body: text.join('\n'), html: html.join('\n') };
}
