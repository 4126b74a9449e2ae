// fixtures/generated/java-jakarta-mail: Jakarta Mail 2.0 (Debian 12: libjakarta-mail-java),
// MimeMessage.writeTo as AWS's SendRawEmail example uses it. Run from the repository root:
// CP=/usr/share/java/jakarta-mail.jar:/usr/share/java/jakarta-activation.jar
// javac -d /tmp -cp $CP tools/generators/java/Gen.java && java -cp $CP:/tmp Gen
// Boundaries are random: a rerun differs there.
import jakarta.mail.*;
import jakarta.mail.internet.*;
import jakarta.activation.*;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.*;
import java.nio.file.*;
import java.util.*;

public class Gen {
    static final String LONG_ASCII = "This is a long line of plain ASCII text that goes on and on. ".repeat(20);
    static final String LONG_UTF8 = "Grüße aus Köln und viele Umlaute: äöü ÄÖÜ ß. ".repeat(30);
    static final byte[] PDF = hex("255044462d312e340a25e2e3cfd30a31203020206f626a3c3c3e3e656e646f626a0a747261696c65723c3c3e3e0a2525454f460a");
    static final byte[] PNG = hex("89504e470d0a1a0a0000000d4948445200000001000000010806000000");
    static final String HTML = "<!doctype html><html><body><p>Grüße</p><p>" + "<span>Übersicht</span> ".repeat(40) + "</p></body></html>\n";
    static int n = 0;
    static byte[] hex(String s) { byte[] b = new byte[s.length()/2]; for (int i=0;i<b.length;i++) b[i]=(byte)Integer.parseInt(s.substring(2*i,2*i+2),16); return b; }
    static class Fixed extends MimeMessage {
        Fixed(Session s) { super(s); }
        @Override protected void updateMessageID() throws MessagingException { setHeader("Message-ID", "<1@example.com>"); }
    }
    static Session S = Session.getInstance(new Properties());
    static MimeMessage base(String subject) throws Exception {
        MimeMessage m = new Fixed(S);
        m.setFrom(new InternetAddress("j@example.com", "Jürgen Groß", "UTF-8"));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress("z@example.org", "Zoë Dupré", "UTF-8"));
        m.setSubject(subject, "UTF-8");
        m.setSentDate(new Date(1795600800000L));
        return m;
    }
    static void out(String name, MimeMessage m) throws Exception {
        m.saveChanges();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        m.writeTo(b);
        Path p = Paths.get("fixtures/generated/java-jakarta-mail", String.format("%02d-%s.eml", ++n, name));
        Files.createDirectories(p.getParent());
        Files.write(p, b.toByteArray());
    }
    static MimeBodyPart text(String t, String sub) throws Exception { MimeBodyPart p = new MimeBodyPart(); p.setText(t, "UTF-8", sub); return p; }
    public static void main(String[] a) throws Exception {
        MimeMessage m;
        m = base("Your order 4711 has shipped"); m.setText("Hello,\nyour order has shipped.\n", "UTF-8"); out("text-ascii", m);
        m = base("Grüße aus Köln"); m.setText("Grüße aus Köln\n", "UTF-8"); out("text-utf8", m);
        m = base("Long"); m.setText(LONG_ASCII + "\n", "UTF-8"); out("text-long-ascii-line", m);
        m = base("Rechnung für Ihre Bestellung – Übersicht der Positionen und Zahlungsbedingungen im Detail"); m.setText(LONG_UTF8 + "\n", "UTF-8"); out("text-long-utf8-line", m);
        m = base("日本語の件名です、よろしくお願いします"); m.setText("日本語の本文です。\n", "UTF-8"); out("text-japanese", m);
        m = base("HTML"); m.setText(HTML, "UTF-8", "html"); out("html-only", m);
        m = base("Ça va? Réunion demain à 10h");
        MimeMultipart alt = new MimeMultipart("alternative"); alt.addBodyPart(text("Grüße\n", "plain")); alt.addBodyPart(text(HTML, "html"));
        m.setContent(alt); out("alternative", m);
        m = base("Rechnung");
        MimeMultipart mixed = new MimeMultipart(); mixed.addBodyPart(text("Anbei.\n", "plain"));
        MimeBodyPart att = new MimeBodyPart(); att.setDataHandler(new DataHandler(new ByteArrayDataSource(PDF, "application/pdf")));
        att.setFileName("Rechnung März 2026 – Übersicht.pdf"); att.setDisposition(Part.ATTACHMENT);
        mixed.addBodyPart(att); m.setContent(mixed); out("attachment-nonascii-name", m);
        m = base("Logo");
        MimeMultipart rel = new MimeMultipart("related"); rel.addBodyPart(text("<p><img src=\"cid:logo@example.com\"> Grüße</p>", "html"));
        MimeBodyPart img = new MimeBodyPart(); img.setDataHandler(new DataHandler(new ByteArrayDataSource(PNG, "image/png")));
        img.setContentID("<logo@example.com>"); img.setDisposition(Part.INLINE); img.setFileName("logo.png");
        rel.addBodyPart(img); m.setContent(rel); out("related-inline-image", m);
        m = base("Names");
        m.setFrom(new InternetAddress("o@example.com", "Ørsted, Inc.", "UTF-8"));
        m.setRecipients(Message.RecipientType.TO, new InternetAddress[]{ new InternetAddress("y@example.jp", "山田 太郎", "UTF-8"), new InternetAddress("john@example.com", "Doe, John", "UTF-8") });
        m.setText("Hi\n", "UTF-8"); out("comma-in-name", m);
        m = base("Rechnung (Name vorkodiert)");
        mixed = new MimeMultipart(); mixed.addBodyPart(text("Anbei.\n", "plain"));
        att = new MimeBodyPart(); att.setDataHandler(new DataHandler(new ByteArrayDataSource(PDF, "application/pdf")));
        att.setFileName(MimeUtility.encodeText("Rechnung März 2026 – Übersicht.pdf", "UTF-8", null)); att.setDisposition(Part.ATTACHMENT);
        mixed.addBodyPart(att); m.setContent(mixed); out("attachment-preencoded-name", m);
        m = base("CSV");
        mixed = new MimeMultipart(); mixed.addBodyPart(text("Daten\n", "plain"));
        att = new MimeBodyPart(); att.setDataHandler(new DataHandler(new ByteArrayDataSource("a,b\nä,ö\n".getBytes("UTF-8"), "text/csv"))); att.setFileName("daten.csv");
        mixed.addBodyPart(att); m.setContent(mixed); out("attachment-csv", m);
    }
}
