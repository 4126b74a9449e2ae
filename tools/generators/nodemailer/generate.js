'use strict';
// Writes fixtures/generated/nodemailer/*.eml: messages built with nodemailer's
// MailComposer as its documentation shows, with non-ASCII names and subjects,
// attachments with non-ASCII file names, long lines and HTML alternatives.
// Date, Message-ID and the boundary base are fixed so the output is the same
// on every run. Run `npm ci && node generate.js` in this folder; the tests read
// the committed .eml files and need no Node.
const fs = require('fs');
const path = require('path');
const MailComposer = require('nodemailer/lib/mail-composer');

const OUT = path.resolve(__dirname, '../../../fixtures/generated/nodemailer');
const DATE = new Date('2026-11-25T10:00:00Z');

const NAMES = ['Jürgen Groß', 'Zoë Dupré', '山田 太郎', 'Ørsted, Inc.', 'Ann Example'];
const SUBJECTS = [
  'Grüße aus Köln',
  'Your order 4711 has shipped',
  'Rechnung für Ihre Bestellung – Übersicht der Positionen und Zahlungsbedingungen im Detail',
  '日本語の件名です、よろしくお願いします',
  'Ça va? Réunion demain à 10h',
];
const LONG_ASCII = 'This is a long line of plain ASCII text that goes on and on. '.repeat(20);
const LONG_UTF8 = 'Grüße aus Köln und viele Umlaute: äöü ÄÖÜ ß. '.repeat(30);
const HTML = (text) => `<!doctype html><html><body><p>${text}</p><p>${'<span>Übersicht</span> '.repeat(40)}</p></body></html>`;

function base(i) {
  const name = NAMES[i % NAMES.length];
  return {
    from: { name, address: 'sender@example.com' },
    to: [{ name: NAMES[(i + 1) % NAMES.length], address: 'rcpt@example.org' }],
    subject: SUBJECTS[i % SUBJECTS.length],
    date: DATE,
    messageId: `<gen-${i}@example.com>`,
    baseBoundary: `fixture${String(i).padStart(2, '0')}`,
  };
}

const attachments = {
  csv: { filename: 'Übersicht.csv', content: 'name,city\nJürgen,Köln\n', contentType: 'text/csv' },
  csvBytes: { filename: 'report.csv', content: Buffer.from('name,city\nJürgen,Köln\n') },
  pdf: { filename: 'Rechnung März.pdf', content: Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1') },
  png: { filename: 'logo.png', content: Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'), cid: 'logo@example.com' },
  longName: { filename: 'Sehr langer Dateiname mit Umlauten äöü und noch mehr Text für die Übersicht 2026.txt', content: 'Hallo\n' },
  japanese: { filename: '請求書.txt', content: '請求書の本文\n' },
  eml: { filename: 'forwarded.eml', content: 'From: a@example.com\r\nSubject: inner\r\n\r\nHello\r\n', contentType: 'message/rfc822' },
};

const cases = [
  ['text-ascii', (m) => ({ ...m, subject: 'Hello', from: 'sender@example.com', text: 'Hello there.\n' })],
  ['text-utf8', (m) => ({ ...m, text: 'Grüße aus Köln.\n' })],
  ['text-long-ascii-line', (m) => ({ ...m, text: LONG_ASCII + '\n' })],
  ['text-long-utf8-line', (m) => ({ ...m, text: LONG_UTF8 + '\n' })],
  ['text-japanese', (m) => ({ ...m, text: '日本語の本文です。\n'.repeat(5) })],
  ['text-lf-lines', (m) => ({ ...m, text: 'line one\nline two\nline three\n' })],
  ['text-crlf-lines', (m) => ({ ...m, text: 'line one\r\nline two\r\n' })],
  ['html-only', (m) => ({ ...m, html: HTML('Grüße') })],
  ['alternative', (m) => ({ ...m, text: 'Grüße aus Köln.\n', html: HTML('Grüße aus Köln.') })],
  ['alternative-long', (m) => ({ ...m, text: LONG_UTF8, html: HTML(LONG_UTF8) })],
  ['alternative-ascii', (m) => ({ ...m, subject: 'Plain subject', text: 'Hi\n', html: '<p>Hi</p>' })],
  ['attachment-csv-string', (m) => ({ ...m, text: 'See attached.\n', attachments: [attachments.csv] })],
  ['attachment-csv-buffer', (m) => ({ ...m, text: 'See attached.\n', attachments: [attachments.csvBytes] })],
  ['attachment-pdf', (m) => ({ ...m, text: 'Ihre Rechnung.\n', attachments: [attachments.pdf] })],
  ['attachment-long-name', (m) => ({ ...m, text: 'Anbei.\n', attachments: [attachments.longName] })],
  ['attachment-japanese-name', (m) => ({ ...m, text: '添付します。\n', attachments: [attachments.japanese] })],
  ['attachment-message', (m) => ({ ...m, text: 'Forwarded.\n', attachments: [attachments.eml] })],
  ['related-inline-image', (m) => ({ ...m, text: 'Logo.\n', html: '<p>Logo: <img src="cid:logo@example.com"></p>', attachments: [attachments.png] })],
  ['mixed-alternative-attachments', (m) => ({ ...m, text: 'Grüße.\n', html: HTML('Grüße'), attachments: [attachments.csv, attachments.pdf] })],
  ['mixed-related-attachments', (m) => ({ ...m, text: 'Grüße.\n', html: '<p><img src="cid:logo@example.com"> Grüße</p>', attachments: [attachments.png, attachments.japanese] })],
  ['cc-bcc-replyto', (m) => ({ ...m, cc: [{ name: 'Zoë Dupré', address: 'zoe@example.org' }, 'plain@example.org'], bcc: 'hidden@example.org', replyTo: { name: 'Support – Kundendienst', address: 'support@example.com' }, text: 'Hi\n' })],
  ['many-recipients', (m) => ({ ...m, to: NAMES.map((n, k) => ({ name: n, address: `r${k}@example.org` })), text: 'Hi all\n' })],
  ['comma-in-name', (m) => ({ ...m, from: { name: 'Doe, John', address: 'john@example.com' }, text: 'Hi\n' })],
  ['quote-in-name', (m) => ({ ...m, from: { name: 'John "Johnny" Doe', address: 'john@example.com' }, text: 'Hi\n' })],
  ['long-subject-words', (m) => ({ ...m, subject: 'Übersicht '.repeat(20).trim(), text: 'Hi\n' })],
  ['long-subject-one-word', (m) => ({ ...m, subject: 'Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichenherstellungsbetriebsübersicht', text: 'Hi\n' })],
  ['emoji-subject', (m) => ({ ...m, subject: 'Sale 🎉 50% off everything 🛍️', text: 'Shop now 🎉\n' })],
  ['headers-custom', (m) => ({ ...m, headers: { 'X-Campaign': 'Grüße 2026', 'List-Unsubscribe': '<mailto:unsub@example.com>' }, text: 'Hi\n' })],
  ['reply-references', (m) => ({ ...m, inReplyTo: '<orig-1@example.com>', references: ['<orig-0@example.com>', '<orig-1@example.com>'], subject: 'Re: Grüße', text: '> quoted\nAnswer\n' })],
  ['encoding-base64-text', (m) => ({ ...m, text: 'Grüße aus Köln.\n', textEncoding: 'base64' })],
  ['encoding-qp-html', (m) => ({ ...m, html: HTML(LONG_UTF8), textEncoding: 'quoted-printable' })],
  ['icalendar', (m) => ({ ...m, text: 'Einladung\n', icalEvent: { method: 'REQUEST', content: 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Besprechung Übersicht\r\nDTSTART:20261126T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' } })],
];

async function build(mail) {
  return new Promise((resolve, reject) => {
    new MailComposer(mail).compile().build((err, message) => (err ? reject(err) : resolve(message)));
  });
}

(async () => {
  fs.mkdirSync(OUT, { recursive: true });
  for (const old of fs.readdirSync(OUT)) if (old.endsWith('.eml')) fs.unlinkSync(path.join(OUT, old));
  let i = 0;
  for (const [name, make] of cases) {
    const message = await build(make(base(i)));
    fs.writeFileSync(path.join(OUT, `${String(i + 1).padStart(2, '0')}-${name}.eml`), message);
    i += 1;
  }
  console.log(`wrote ${i} messages to ${OUT}`);
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
