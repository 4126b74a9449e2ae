// fixtures/generated/go-message: emersion/go-message 0.15 (Debian 12: golang-go,
// golang-github-emersion-go-message-dev). Run from the repository root:
// GO111MODULE=off GOPATH=/usr/share/gocode go run tools/generators/go/go-message/main.go
// Boundaries are random: a rerun differs there.
package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/emersion/go-message/mail"
)

var n = 0
var longASCII = strings.Repeat("This is a long line of plain ASCII text that goes on and on. ", 20)
var longUTF8 = strings.Repeat("Grüße aus Köln und viele Umlaute: äöü ÄÖÜ ß. ", 30)
var html = "<!doctype html><html><body><p>Grüße</p><p>" + strings.Repeat("<span>Übersicht</span> ", 40) + "</p></body></html>\n"
var pdf = []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
var png = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00")

func header(subject string) mail.Header {
	var h mail.Header
	h.SetDate(time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC))
	h.SetAddressList("From", []*mail.Address{{Name: "Jürgen Groß", Address: "j@example.com"}})
	h.SetAddressList("To", []*mail.Address{{Name: "Zoë Dupré", Address: "z@example.org"}})
	h.SetSubject(subject)
	h.Set("Message-Id", "<1@example.com>")
	return h
}

func out(name string, b *bytes.Buffer) {
	n++
	os.MkdirAll("fixtures/generated/go-message", 0o755)
	os.WriteFile(fmt.Sprintf("fixtures/generated/go-message/%02d-%s.eml", n, name), b.Bytes(), 0o644)
}

func single(name, subject, ctype, body string) {
	var b bytes.Buffer
	h := header(subject)
	h.SetContentType(ctype, map[string]string{"charset": "utf-8"})
	w, err := mail.CreateSingleInlineWriter(&b, h)
	if err != nil {
		panic(err)
	}
	io.WriteString(w, body)
	w.Close()
	out(name, &b)
}

func inline(w *mail.InlineWriter, ctype, body string) {
	var th mail.InlineHeader
	th.SetContentType(ctype, map[string]string{"charset": "utf-8"})
	pw, _ := w.CreatePart(th)
	io.WriteString(pw, body)
	pw.Close()
}

func main() {
	single("text-ascii", "Your order 4711 has shipped", "text/plain", "Hello,\nyour order has shipped.\n")
	single("text-utf8", "Grüße aus Köln", "text/plain", "Grüße aus Köln\n")
	single("text-long-ascii-line", "Long", "text/plain", longASCII+"\n")
	single("text-long-utf8-line", "Rechnung für Ihre Bestellung – Übersicht der Positionen und Zahlungsbedingungen im Detail", "text/plain", longUTF8+"\n")
	single("text-japanese", "日本語の件名です、よろしくお願いします", "text/plain", "日本語の本文です。\n")
	single("html-only", "HTML", "text/html", html)

	var b bytes.Buffer
	mw, _ := mail.CreateInlineWriter(&b, header("Ça va? Réunion demain à 10h"))
	inline(mw, "text/plain", "Grüße\n")
	inline(mw, "text/html", html)
	mw.Close()
	out("alternative", &b)

	b.Reset()
	w, _ := mail.CreateWriter(&b, header("Rechnung"))
	iw, _ := w.CreateInline()
	inline(iw, "text/plain", "Anbei.\n")
	iw.Close()
	var ah mail.AttachmentHeader
	ah.Set("Content-Type", "application/pdf")
	ah.SetFilename("Rechnung März 2026 – Übersicht.pdf")
	aw, _ := w.CreateAttachment(ah)
	aw.Write(pdf)
	aw.Close()
	var ch mail.AttachmentHeader
	ch.Set("Content-Type", "text/csv")
	ch.SetFilename("daten.csv")
	cw, _ := w.CreateAttachment(ch)
	io.WriteString(cw, "a,b\nä,ö\n")
	cw.Close()
	w.Close()
	out("attachments", &b)

	b.Reset()
	h := header("Names")
	h.SetAddressList("From", []*mail.Address{{Name: "Ørsted, Inc.", Address: "o@example.com"}})
	h.SetAddressList("To", []*mail.Address{{Name: "山田 太郎", Address: "y@example.jp"}, {Name: "Doe, John", Address: "john@example.com"}})
	h.SetContentType("text/plain", map[string]string{"charset": "utf-8"})
	sw, _ := mail.CreateSingleInlineWriter(&b, h)
	io.WriteString(sw, "Hi\n")
	sw.Close()
	out("comma-in-name", &b)
	_ = png
}
