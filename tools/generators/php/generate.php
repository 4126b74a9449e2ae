<?php
// fixtures/generated/php-*: PHPMailer 6.6 and Symfony Mime 5.4
// (Debian 12: php-cli, libphp-phpmailer, php-symfony-mime).
// Run from the repository root: php tools/generators/php/generate.php
// Symfony's boundaries are random: a rerun differs there.
require '/usr/share/php/libphp-phpmailer/autoload.php';
require '/usr/share/php/Symfony/Component/Mime/autoload.php';
require '/usr/share/php/Egulias/EmailValidator/autoload.php';
use PHPMailer\PHPMailer\PHPMailer;
use Symfony\Component\Mime\Email;
use Symfony\Component\Mime\Address;

class FixedMailer extends PHPMailer {
    protected function generateId() { return 'fixedid0123456789abcdef0123456789abcdef012'; }
}
$DATE = 'Wed, 25 Nov 2026 10:00:00 +0000';
$LONG_ASCII = str_repeat("This is a long line of plain ASCII text that goes on and on. ", 20);
$LONG_UTF8 = str_repeat("Grüße aus Köln und viele Umlaute: äöü ÄÖÜ ß. ", 30);
$PDF = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
$PNG = hex2bin("89504e470d0a1a0a0000000d4948445200000001000000010806000000");
$HTML = "<!doctype html><html><body><p>Grüße</p><p>" . str_repeat("<span>Übersicht</span> ", 40) . "</p></body></html>\n";
function out($lib, $name, $data) { @mkdir("fixtures/generated/$lib", 0777, true); file_put_contents("fixtures/generated/$lib/$name.eml", $data); }

// ---------- PHPMailer
function pm($subject) {
    global $DATE;
    $m = new FixedMailer(true);
    $m->CharSet = PHPMailer::CHARSET_UTF8;
    $m->setFrom('j@example.com', 'Jürgen Groß');
    $m->addAddress('z@example.org', 'Zoë Dupré');
    $m->MessageDate = $DATE;
    $m->MessageID = '<1@example.com>';
    $m->Subject = $subject;
    return $m;
}
$cases = [];
$cases['text-ascii'] = function() { $m = pm('Your order 4711 has shipped'); $m->Body = "Hello,\nyour order has shipped.\n"; return $m; };
$cases['text-utf8'] = function() { $m = pm('Grüße aus Köln'); $m->Body = "Grüße aus Köln\n"; return $m; };
$cases['text-long-ascii-line'] = function() { global $LONG_ASCII; $m = pm('Long'); $m->Body = "$LONG_ASCII\n"; return $m; };
$cases['text-long-utf8-line'] = function() { global $LONG_UTF8; $m = pm('Rechnung für Ihre Bestellung – Übersicht der Positionen und Zahlungsbedingungen im Detail'); $m->Body = "$LONG_UTF8\n"; return $m; };
$cases['text-japanese'] = function() { $m = pm('日本語の件名です、よろしくお願いします'); $m->Body = "日本語の本文です。\n"; return $m; };
$cases['text-base64'] = function() { $m = pm('Base64'); $m->Encoding = PHPMailer::ENCODING_BASE64; $m->Body = "Grüße aus Köln\n"; return $m; };
$cases['html-only'] = function() { global $HTML; $m = pm('HTML'); $m->isHTML(true); $m->Body = $HTML; return $m; };
$cases['alternative'] = function() { global $HTML; $m = pm('Ça va? Réunion demain à 10h'); $m->isHTML(true); $m->Body = $HTML; $m->AltBody = "Grüße\n"; return $m; };
$cases['attachment-nonascii-name'] = function() { global $PDF; $m = pm('Rechnung'); $m->Body = "Anbei.\n"; $m->addStringAttachment($PDF, 'Rechnung März 2026 – Übersicht.pdf', PHPMailer::ENCODING_BASE64, 'application/pdf'); return $m; };
$cases['related-inline-image'] = function() { global $PNG; $m = pm('Logo'); $m->isHTML(true); $m->Body = '<p><img src="cid:logo@example.com"> Grüße</p>'; $m->AltBody = "Grüße\n"; $m->addStringEmbeddedImage($PNG, 'logo@example.com', 'logo.png', PHPMailer::ENCODING_BASE64, 'image/png'); return $m; };
$cases['mixed-related-attachment'] = function() { global $PNG, $PDF; $m = pm('Alles'); $m->isHTML(true); $m->Body = '<p><img src="cid:logo@example.com"> Grüße</p>'; $m->AltBody = "Grüße\n"; $m->addStringEmbeddedImage($PNG, 'logo@example.com', 'logo.png', PHPMailer::ENCODING_BASE64, 'image/png'); $m->addStringAttachment($PDF, 'invoice.pdf'); return $m; };
$cases['comma-in-name'] = function() { $m = pm('Names'); $m->setFrom('o@example.com', 'Ørsted, Inc.'); $m->addAddress('y@example.jp', '山田 太郎'); $m->addCC('john@example.com', 'Doe, John'); $m->addReplyTo('r@example.com', 'Support "Team"'); $m->Body = "Hi\n"; return $m; };
$cases['qp-long-utf8'] = function() { global $LONG_UTF8; $m = pm('QP'); $m->Encoding = PHPMailer::ENCODING_QUOTED_PRINTABLE; $m->Body = "$LONG_UTF8\n"; return $m; };
$n = 0;
foreach ($cases as $name => $f) { $m = $f(); $m->preSend(); out('php-phpmailer', sprintf('%02d-%s', ++$n, $name), $m->getSentMIMEMessage()); }

// ---------- Symfony Mime
function se($subject) {
    global $DATE;
    $e = (new Email())->from(new Address('j@example.com', 'Jürgen Groß'))->to(new Address('z@example.org', 'Zoë Dupré'))->subject($subject)->date(new DateTimeImmutable($DATE));
    $e->getHeaders()->addIdHeader('Message-ID', '1@example.com');
    return $e;
}
$cases = [];
$cases['text-ascii'] = fn() => se('Your order 4711 has shipped')->text("Hello,\nyour order has shipped.\n");
$cases['text-utf8'] = fn() => se('Grüße aus Köln')->text("Grüße aus Köln\n");
$cases['text-long-ascii-line'] = fn() => se('Long')->text("$LONG_ASCII\n");
$cases['text-long-utf8-line'] = fn() => se('Rechnung für Ihre Bestellung – Übersicht der Positionen und Zahlungsbedingungen im Detail')->text("$LONG_UTF8\n");
$cases['text-japanese'] = fn() => se('日本語の件名です、よろしくお願いします')->text("日本語の本文です。\n");
$cases['html-only'] = fn() => se('HTML')->html($HTML);
$cases['alternative'] = fn() => se('Ça va? Réunion demain à 10h')->text("Grüße\n")->html($HTML);
$cases['attachment-nonascii-name'] = fn() => se('Rechnung')->text("Anbei.\n")->attach($PDF, 'Rechnung März 2026 – Übersicht.pdf', 'application/pdf');
$cases['related-inline-image'] = fn() => se('Logo')->text("Grüße\n")->html('<p><img src="cid:logo.png"> Grüße</p>')->embed($PNG, 'logo.png', 'image/png');
$cases['mixed-related-attachment'] = fn() => se('Alles')->text("Grüße\n")->html('<p><img src="cid:logo.png"> Grüße</p>')->embed($PNG, 'logo.png', 'image/png')->attach($PDF, 'invoice.pdf', 'application/pdf');
$cases['comma-in-name'] = fn() => se('Names')->from(new Address('o@example.com', 'Ørsted, Inc.'))->to(new Address('y@example.jp', '山田 太郎'))->cc(new Address('john@example.com', 'Doe, John'))->replyTo(new Address('r@example.com', 'Support "Team"'))->text("Hi\n");
$cases['text-attachment-csv'] = fn() => se('CSV')->text("Data\n")->attach("a,b\nä,ö\n", 'daten.csv', 'text/csv');
$n = 0;
foreach ($cases as $name => $f) { out('php-symfony-mime', sprintf('%02d-%s', ++$n, $name), $f()->toString()); }
