# encoding: utf-8
# fixtures/generated/ruby-mail: Ruby's mail gem 2.7.1 (Debian 12: ruby-mail), and
# fixtures/generated/ruby-mail-2.9 the same cases with mail 2.9.1.edge (its source, lib/ on -I).
# Run from the repository root: ruby tools/generators/ruby/generate.rb [OUT]
# (OUT: ruby-mail, the default, or ruby-mail-2.9 with ruby -I mail/lib).
# Boundaries and Content-IDs are random (and name the host): a rerun differs there.
require 'mail'
require 'fileutils'
DATE = 'Wed, 25 Nov 2026 10:00:00 +0000'
LONG_ASCII = "This is a long line of plain ASCII text that goes on and on. " * 20
LONG_UTF8 = "Grüße aus Köln und viele Umlaute: äöü ÄÖÜ ß. " * 30
PDF = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".b
PNG = ["89504e470d0a1a0a0000000d4948445200000001000000010806000000"].pack('H*')
HTML = "<!doctype html><html><body><p>Grüße</p><p>" + ("<span>Übersicht</span> " * 40) + "</p></body></html>\n"
$n = 0
OUT = "fixtures/generated/#{ARGV[0] || 'ruby-mail'}"
def out(name, m)
  FileUtils.mkdir_p(OUT)
  File.binwrite(format('%s/%02d-%s.eml', OUT, $n += 1, name), m.to_s)
end
def base(subject)
  m = Mail.new
  m.charset = 'UTF-8'
  m.from = 'Jürgen Groß <j@example.com>'
  m.to = 'Zoë Dupré <z@example.org>'
  m.date = DATE
  m.message_id = '<1@example.com>'
  m.subject = subject
  m
end
m = base('Your order 4711 has shipped'); m.body = "Hello,\nyour order has shipped.\n"; out('text-ascii', m)
m = base('Grüße aus Köln'); m.body = "Grüße aus Köln\n"; out('text-utf8', m)
m = base('Long'); m.body = "#{LONG_ASCII}\n"; out('text-long-ascii-line', m)
m = base('Rechnung für Ihre Bestellung – Übersicht der Positionen und Zahlungsbedingungen im Detail'); m.body = "#{LONG_UTF8}\n"; out('text-long-utf8-line', m)
m = base('日本語の件名です、よろしくお願いします'); m.body = "日本語の本文です。\n"; out('text-japanese', m)
m = base('HTML'); m.content_type = 'text/html; charset=UTF-8'; m.body = HTML; out('html-only', m)
m = base('Ça va? Réunion demain à 10h')
m.text_part = Mail::Part.new { body "Grüße\n" }
m.html_part = Mail::Part.new { content_type 'text/html; charset=UTF-8'; body HTML }
out('alternative', m)
m = base('Rechnung'); m.body = "Anbei.\n"; m.attachments['Rechnung März 2026 – Übersicht.pdf'] = { mime_type: 'application/pdf', content: PDF }; out('attachment-nonascii-name', m)
m = base('Logo')
m.attachments.inline['logo.png'] = { mime_type: 'image/png', content: PNG }
cid = m.attachments['logo.png'].url
m.html_part = Mail::Part.new { content_type 'text/html; charset=UTF-8'; body "<p><img src=\"#{cid}\"> Grüße</p>" }
out('inline-image', m)
m = base('Alles')
m.text_part = Mail::Part.new { body "Grüße\n" }
m.html_part = Mail::Part.new { content_type 'text/html; charset=UTF-8'; body HTML }
m.attachments['daten.csv'] = { mime_type: 'text/csv', content: "a,b\nä,ö\n" }
out('alternative-attachment', m)
m = base('Names'); m.from = '"Ørsted, Inc." <o@example.com>'; m.to = '山田 太郎 <y@example.jp>, "Doe, John" <john@example.com>'; m.body = "Hi\n"; out('comma-in-name', m)
m = base('Nachricht'); m.body = "Grüße\n"; m['X-Custom'] = 'Ein Wert mit Ümlaut'; m.in_reply_to = '<0@example.com>'; m.references = '<a@example.com> <0@example.com>'; out('reply-custom-header', m)
