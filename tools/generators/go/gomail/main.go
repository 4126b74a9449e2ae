// fixtures/generated/go-gomail: gopkg.in/gomail.v2 (go-gomail/gomail, last commit 2016), built in GOPATH mode
// from its source (no module download). Run from the repository root, with gomail's source under
// $GOPATH/src/gopkg.in/gomail.v2: GO111MODULE=off GOPATH=... go run tools/generators/go/gomail/main.go
// Boundaries are random: a rerun differs there.
package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"gopkg.in/gomail.v2"
)

var n = 0
var longASCII = strings.Repeat("This is a long line of plain ASCII text that goes on and on. ", 20)
var longUTF8 = strings.Repeat("Grüße aus Köln und viele Umlaute: äöü ÄÖÜ ß. ", 30)
var html = "<!doctype html><html><body><p>Grüße</p><p>" + strings.Repeat("<span>Übersicht</span> ", 40) + "</p></body></html>\n"
var pdf = []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
var png = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00")

func base(subject string) *gomail.Message {
	m := gomail.NewMessage()
	m.SetAddressHeader("From", "j@example.com", "Jürgen Groß")
	m.SetAddressHeader("To", "z@example.org", "Zoë Dupré")
	m.SetHeader("Subject", subject)
	m.SetDateHeader("Date", time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC))
	m.SetHeader("Message-ID", "<1@example.com>")
	return m
}

func out(name string, m *gomail.Message) {
	n++
	var b bytes.Buffer
	if _, err := m.WriteTo(&b); err != nil {
		panic(err)
	}
	os.MkdirAll("fixtures/generated/go-gomail", 0o755)
	os.WriteFile(fmt.Sprintf("fixtures/generated/go-gomail/%02d-%s.eml", n, name), b.Bytes(), 0o644)
}

func copier(data []byte) gomail.FileSetting {
	return gomail.SetCopyFunc(func(w io.Writer) error { _, err := w.Write(data); return err })
}

func main() {
	m := base("Your order 4711 has shipped"); m.SetBody("text/plain", "Hello,\nyour order has shipped.\n"); out("text-ascii", m)
	m = base("Grüße aus Köln"); m.SetBody("text/plain", "Grüße aus Köln\n"); out("text-utf8", m)
	m = base("Long"); m.SetBody("text/plain", longASCII+"\n"); out("text-long-ascii-line", m)
	m = base("Rechnung für Ihre Bestellung – Übersicht der Positionen und Zahlungsbedingungen im Detail"); m.SetBody("text/plain", longUTF8+"\n"); out("text-long-utf8-line", m)
	m = base("日本語の件名です、よろしくお願いします"); m.SetBody("text/plain", "日本語の本文です。\n"); out("text-japanese", m)
	m = base("HTML"); m.SetBody("text/html", html); out("html-only", m)
	m = base("Ça va? Réunion demain à 10h"); m.SetBody("text/plain", "Grüße\n"); m.AddAlternative("text/html", html); out("alternative", m)
	m = base("Rechnung"); m.SetBody("text/plain", "Anbei.\n"); m.Attach("Rechnung März 2026 – Übersicht.pdf", copier(pdf)); out("attachment-nonascii-name", m)
	m = base("Logo"); m.SetBody("text/html", `<p><img src="cid:logo.png"> Grüße</p>`); m.Embed("logo.png", copier(png)); out("related-inline-image", m)
	m = base("Alles"); m.SetBody("text/plain", "Grüße\n"); m.AddAlternative("text/html", `<p><img src="cid:logo.png"> Grüße</p>`); m.Embed("logo.png", copier(png)); m.Attach("invoice.pdf", copier(pdf)); out("mixed-related-attachment", m)
	m = base("Names"); m.SetAddressHeader("From", "o@example.com", "Ørsted, Inc."); m.SetHeader("To", m.FormatAddress("y@example.jp", "山田 太郎"), m.FormatAddress("john@example.com", "Doe, John")); m.SetBody("text/plain", "Hi\n"); out("comma-in-name", m)
	m = gomail.NewMessage(gomail.SetEncoding(gomail.Base64)); m.SetHeaders(map[string][]string{"From": {"j@example.com"}, "To": {"z@example.org"}, "Subject": {"Base64"}}); m.SetDateHeader("Date", time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)); m.SetHeader("Message-ID", "<2@example.com>"); m.SetBody("text/plain", longUTF8+"\n"); out("base64-encoding", m)
}
