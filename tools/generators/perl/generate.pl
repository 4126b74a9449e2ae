# fixtures/generated/perl-*: Email::MIME, Email::Stuffer, MIME::Lite and MIME::Entity (MIME-tools)
# (Debian 12: libemail-mime-perl, libemail-stuffer-perl, libmime-lite-perl, libmime-tools-perl).
# Run from the repository root: perl tools/generators/perl/generate.pl
# Boundaries of Email::Stuffer and MIME::Lite are random: a rerun differs there.
use strict; use warnings; use utf8;
use Email::MIME; use Email::Stuffer; use MIME::Lite; use MIME::Entity; use Encode qw(encode);
use File::Path qw(make_path);
my $DATE = "Wed, 25 Nov 2026 10:00:00 +0000";
my $LONG_ASCII = "This is a long line of plain ASCII text that goes on and on. " x 20;
my $LONG_UTF8 = "Grüße aus Köln und viele Umlaute: äöü ÄÖÜ ß. " x 30;
my $PDF = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
my $PNG = pack("H*", "89504e470d0a1a0a0000000d4948445200000001000000010806000000");
my $HTML = "<!doctype html><html><body><p>Grüße</p><p>" . ("<span>Übersicht</span> " x 40) . "</p></body></html>\n";
sub out { my ($lib, $name, $data) = @_; make_path("fixtures/generated/$lib"); open my $f, '>:raw', "fixtures/generated/$lib/$name.eml" or die; print $f $data; close $f; }

# ---------- Email::MIME
{
  my @h = (From => '"Jürgen Groß" <j@example.com>', To => '"Zoë Dupré" <z@example.org>', Date => $DATE, 'Message-ID' => '<1@example.com>');
  my $n = 0;
  my $mk = sub { my ($name, %a) = @_; out('perl-email-mime', sprintf("%02d-%s", ++$n, $name), Email::MIME->create(%a)->as_string); };
  $mk->('text-ascii', header_str => [@h, Subject => 'Your order 4711 has shipped'], attributes => {content_type => 'text/plain', charset => 'US-ASCII', encoding => '7bit'}, body_str => "Hello,\nyour order has shipped.\n");
  $mk->('text-utf8-qp', header_str => [@h, Subject => 'Grüße aus Köln'], attributes => {content_type => 'text/plain', charset => 'UTF-8', encoding => 'quoted-printable'}, body_str => "Grüße aus Köln\n");
  $mk->('text-utf8-8bit', header_str => [@h, Subject => 'Ça va? Réunion demain à 10h'], attributes => {content_type => 'text/plain', charset => 'UTF-8', encoding => '8bit'}, body_str => "Ça va?\n");
  $mk->('text-long-ascii-line', header_str => [@h, Subject => 'Long'], attributes => {content_type => 'text/plain', charset => 'UTF-8', encoding => 'quoted-printable'}, body_str => "$LONG_ASCII\n");
  $mk->('text-long-utf8-line-b64', header_str => [@h, Subject => 'Rechnung für Ihre Bestellung – Übersicht der Positionen und Zahlungsbedingungen im Detail'], attributes => {content_type => 'text/plain', charset => 'UTF-8', encoding => 'base64'}, body_str => "$LONG_UTF8\n");
  $mk->('text-japanese', header_str => [@h, Subject => '日本語の件名です、よろしくお願いします'], attributes => {content_type => 'text/plain', charset => 'UTF-8', encoding => 'base64'}, body_str => "日本語の本文です。\n");
  $mk->('html-only', header_str => [@h, Subject => 'HTML'], attributes => {content_type => 'text/html', charset => 'UTF-8', encoding => 'quoted-printable'}, body_str => $HTML);
  my $text = Email::MIME->create(attributes => {content_type => 'text/plain', charset => 'UTF-8', encoding => 'quoted-printable'}, body_str => "Grüße\n");
  my $html = Email::MIME->create(attributes => {content_type => 'text/html', charset => 'UTF-8', encoding => 'quoted-printable'}, body_str => $HTML);
  $mk->('alternative', header_str => [@h, Subject => 'Grüße'], attributes => {content_type => 'multipart/alternative', boundary => 'b1'}, parts => [$text, $html]);
  my $pdf = Email::MIME->create(attributes => {content_type => 'application/pdf', encoding => 'base64', disposition => 'attachment', filename => 'Rechnung März 2026 – Übersicht.pdf', name => 'Rechnung März 2026 – Übersicht.pdf'}, body => $PDF);
  $mk->('attachment-nonascii-name', header_str => [@h, Subject => 'Rechnung'], attributes => {content_type => 'multipart/mixed', boundary => 'b2'}, parts => [$text, $pdf]);
  my $png = Email::MIME->create(header_str => ['Content-ID' => '<logo@example.com>'], attributes => {content_type => 'image/png', encoding => 'base64', disposition => 'inline', filename => 'logo.png'}, body => $PNG);
  $mk->('related-inline-image', header_str => [@h, Subject => 'Logo'], attributes => {content_type => 'multipart/related', boundary => 'b3'}, parts => [$html, $png]);
  $mk->('comma-in-name', header_str => [From => '"Ørsted, Inc." <o@example.com>', To => '"山田 太郎" <y@example.jp>, "Doe, John" <john@example.com>', Date => $DATE, 'Message-ID' => '<2@example.com>', Subject => 'Names'], attributes => {content_type => 'text/plain', charset => 'UTF-8', encoding => 'quoted-printable'}, body_str => "Hi\n");
}

# ---------- Email::Stuffer
{
  my $n = 0;
  my $base = sub { Email::Stuffer->from('"Jürgen Groß" <j@example.com>')->to('"Zoë Dupré" <z@example.org>')->header(Date => $DATE)->header('Message-ID' => '<1@example.com>') };
  my $mk = sub { my ($name, $s) = @_; out('perl-email-stuffer', sprintf("%02d-%s", ++$n, $name), $s->as_string); };
  $mk->('text-ascii', $base->()->subject('Your order 4711 has shipped')->text_body("Hello,\nyour order has shipped.\n"));
  $mk->('text-utf8', $base->()->subject('Grüße aus Köln')->text_body("Grüße aus Köln\n"));
  $mk->('text-long-utf8-line', $base->()->subject('Rechnung für Ihre Bestellung – Übersicht der Positionen und Zahlungsbedingungen im Detail')->text_body("$LONG_UTF8\n"));
  $mk->('text-long-ascii-line', $base->()->subject('Long')->text_body("$LONG_ASCII\n"));
  $mk->('html-only', $base->()->subject('HTML')->html_body($HTML));
  $mk->('alternative', $base->()->subject('日本語の件名です、よろしくお願いします')->text_body("Grüße\n")->html_body($HTML));
  $mk->('attachment-nonascii-name', $base->()->subject('Rechnung')->text_body("Anbei.\n")->attach($PDF, filename => 'Rechnung März 2026 – Übersicht.pdf', content_type => 'application/pdf'));
  $mk->('alternative-attachment', $base->()->subject('Ça va?')->text_body("Grüße\n")->html_body($HTML)->attach($PNG, filename => 'logo.png', content_type => 'image/png'));
  $mk->('comma-in-name', Email::Stuffer->from('"Ørsted, Inc." <o@example.com>')->to('"山田 太郎" <y@example.jp>')->cc('"Doe, John" <john@example.com>')->header(Date => $DATE)->subject('Names')->text_body("Hi\n"));
}

# ---------- MIME::Lite (byte strings: it does not encode headers itself)
{
  my $n = 0;
  my $mk = sub { my ($name, $m) = @_; out('perl-mime-lite', sprintf("%02d-%s", ++$n, $name), $m->as_string); };
  my @h = (From => 'j@example.com', To => 'z@example.org', Date => $DATE, 'Message-ID' => '<1@example.com>');
  $mk->('text-ascii', MIME::Lite->new(@h, Subject => 'Your order 4711 has shipped', Type => 'text/plain', Data => "Hello,\nyour order has shipped.\n"));
  my $m = MIME::Lite->new(@h, Subject => 'Long', Type => 'text/plain', Encoding => 'quoted-printable', Data => "$LONG_ASCII\n"); $mk->('text-long-ascii-qp', $m);
  $m = MIME::Lite->new(@h, Subject => 'UTF-8', Type => 'text/plain; charset=UTF-8', Encoding => 'quoted-printable', Data => encode('UTF-8', "$LONG_UTF8\n")); $mk->('text-long-utf8-qp', $m);
  $m = MIME::Lite->new(@h, Subject => 'UTF-8', Type => 'text/plain; charset=UTF-8', Encoding => 'base64', Data => encode('UTF-8', "日本語の本文です。\n")); $mk->('text-japanese-b64', $m);
  $m = MIME::Lite->new(@h, Subject => 'HTML', Type => 'text/html; charset=UTF-8', Encoding => 'quoted-printable', Data => encode('UTF-8', $HTML)); $mk->('html-only', $m);
  $m = MIME::Lite->new(@h, Subject => 'Alt', Type => 'multipart/alternative');
  $m->attach(Type => 'text/plain; charset=UTF-8', Encoding => 'quoted-printable', Data => encode('UTF-8', "Grüße\n"));
  $m->attach(Type => 'text/html; charset=UTF-8', Encoding => 'quoted-printable', Data => encode('UTF-8', $HTML)); $mk->('alternative', $m);
  $m = MIME::Lite->new(@h, Subject => 'Attachment', Type => 'multipart/mixed');
  $m->attach(Type => 'text/plain', Data => "See attached.\n");
  $m->attach(Type => 'application/pdf', Encoding => 'base64', Data => $PDF, Filename => 'invoice.pdf', Disposition => 'attachment'); $mk->('attachment', $m);
  $m = MIME::Lite->new(@h, Subject => 'Related', Type => 'multipart/related');
  $m->attach(Type => 'text/html; charset=UTF-8', Encoding => 'quoted-printable', Data => encode('UTF-8', '<p><img src="cid:logo@example.com"></p>'));
  $m->attach(Type => 'image/png', Encoding => 'base64', Data => $PNG, Id => '<logo@example.com>', Filename => 'logo.png', Disposition => 'inline'); $mk->('related-inline-image', $m);
}

# ---------- MIME::Entity (MIME-tools)
{
  my $n = 0;
  my $mk = sub { my ($name, $e) = @_; out('perl-mime-tools', sprintf("%02d-%s", ++$n, $name), $e->stringify); };
  my @h = (From => 'j@example.com', To => 'z@example.org', Date => $DATE, 'Message-ID' => '<1@example.com>');
  $mk->('text-ascii', MIME::Entity->build(@h, Subject => 'Your order 4711 has shipped', Type => 'text/plain', Data => ["Hello,\n", "your order has shipped.\n"]));
  $mk->('text-long-ascii-qp', MIME::Entity->build(@h, Subject => 'Long', Type => 'text/plain', Encoding => 'quoted-printable', Data => ["$LONG_ASCII\n"]));
  $mk->('text-utf8-qp', MIME::Entity->build(@h, Subject => 'UTF-8', Type => 'text/plain', Charset => 'UTF-8', Encoding => 'quoted-printable', Data => [encode('UTF-8', "$LONG_UTF8\n")]));
  $mk->('text-utf8-b64', MIME::Entity->build(@h, Subject => 'UTF-8', Type => 'text/plain', Charset => 'UTF-8', Encoding => 'base64', Data => [encode('UTF-8', "日本語の本文です。\n")]));
  my $e = MIME::Entity->build(@h, Subject => 'Alt', Type => 'multipart/alternative', Boundary => 'b1');
  $e->attach(Type => 'text/plain', Charset => 'UTF-8', Encoding => 'quoted-printable', Data => [encode('UTF-8', "Grüße\n")]);
  $e->attach(Type => 'text/html', Charset => 'UTF-8', Encoding => 'quoted-printable', Data => [encode('UTF-8', $HTML)]); $mk->('alternative', $e);
  $e = MIME::Entity->build(@h, Subject => 'Attachment', Type => 'multipart/mixed', Boundary => 'b2');
  $e->attach(Type => 'text/plain', Data => ["See attached.\n"]);
  $e->attach(Type => 'application/pdf', Encoding => 'base64', Data => $PDF, Filename => 'invoice.pdf', Disposition => 'attachment'); $mk->('attachment', $e);
  $e = MIME::Entity->build(@h, Subject => 'Related', Type => 'multipart/related', Boundary => 'b3');
  $e->attach(Type => 'text/html', Charset => 'UTF-8', Encoding => 'quoted-printable', Data => ['<p><img src="cid:logo@example.com"></p>']);
  $e->attach(Type => 'image/png', Encoding => 'base64', Data => $PNG, Id => '<logo@example.com>', Filename => 'logo.png', Disposition => 'inline'); $mk->('related-inline-image', $e);
}
