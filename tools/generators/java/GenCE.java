// fixtures/generated/java-commons-email: Apache Commons Email 1.5 over javax.mail 1.6 (Debian 12:
// libcommons-email-java), Email.buildMimeMessage and MimeMessage.writeTo. Run from the repository root:
// CP=/usr/share/java/commons-email.jar:/usr/share/java/javax.mail.jar:/usr/share/java/javax.activation.jar
// javac -d /tmp -cp $CP tools/generators/java/GenCE.java && java -cp $CP:/tmp GenCE
// Boundaries are random: a rerun differs there.
import org.apache.commons.mail.*;
import javax.mail.util.ByteArrayDataSource;
import java.io.*;
import java.nio.file.*;
import java.util.*;

public class GenCE {
    static int n = 0;
    static final String LONG_UTF8 = "Grüße aus Köln und viele Umlaute: äöü ÄÖÜ ß. ".repeat(30);
    static final String HTML = "<!doctype html><html><body><p>Grüße</p><p>" + "<span>Übersicht</span> ".repeat(40) + "</p></body></html>\n";
    static byte[] PDF = new byte[]{'%','P','D','F','-','1','.','4','\n',(byte)0xe2,(byte)0xe3,(byte)0xcf,(byte)0xd3,'\n','%','%','E','O','F','\n'};
    static byte[] PNG = new byte[]{(byte)0x89,'P','N','G','\r','\n',0x1a,'\n',0,0,0,13,'I','H','D','R',0,0,0,1,0,0,0,1,8,6,0,0,0};
    static <T extends Email> T base(T e, String subject) throws Exception {
        e.setHostName("localhost");
        e.setCharset("UTF-8");
        e.setFrom("j@example.com", "Jürgen Groß");
        e.addTo("z@example.org", "Zoë Dupré");
        e.setSubject(subject);
        e.setSentDate(new Date(1795600800000L));
        return e;
    }
    static void out(String name, Email e) throws Exception {
        e.buildMimeMessage();
        e.getMimeMessage().setHeader("Message-ID", "<1@example.com>");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        e.getMimeMessage().writeTo(b);
        Path p = Paths.get("fixtures/generated/java-commons-email", String.format("%02d-%s.eml", ++n, name));
        Files.createDirectories(p.getParent());
        Files.write(p, b.toByteArray());
    }
    public static void main(String[] a) throws Exception {
        SimpleEmail s = base(new SimpleEmail(), "Your order 4711 has shipped"); s.setMsg("Hello,\nyour order has shipped.\n"); out("text-ascii", s);
        s = base(new SimpleEmail(), "Grüße aus Köln"); s.setMsg("Grüße aus Köln\n"); out("text-utf8", s);
        s = base(new SimpleEmail(), "Rechnung für Ihre Bestellung – Übersicht der Positionen und Zahlungsbedingungen im Detail"); s.setMsg(LONG_UTF8 + "\n"); out("text-long-utf8-line", s);
        s = base(new SimpleEmail(), "日本語の件名です、よろしくお願いします"); s.setMsg("日本語の本文です。\n"); out("text-japanese", s);
        HtmlEmail h = base(new HtmlEmail(), "Ça va? Réunion demain à 10h"); h.setHtmlMsg(HTML); h.setTextMsg("Grüße\n"); out("alternative", h);
        h = base(new HtmlEmail(), "HTML"); h.setHtmlMsg(HTML); out("html-only", h);
        MultiPartEmail m = base(new MultiPartEmail(), "Rechnung"); m.setMsg("Anbei.\n");
        m.attach(new ByteArrayDataSource(PDF, "application/pdf"), "Rechnung März 2026 – Übersicht.pdf", "Rechnung", EmailAttachment.ATTACHMENT); out("attachment-nonascii-name", m);
        h = base(new HtmlEmail(), "Logo"); String cid = h.embed(new ByteArrayDataSource(PNG, "image/png"), "logo.png", "logo1234");
        h.setHtmlMsg("<p><img src=\"cid:" + cid + "\"> Grüße</p>"); h.setTextMsg("Grüße\n"); out("related-inline-image", h);
        s = base(new SimpleEmail(), "Names"); s.setFrom("o@example.com", "Ørsted, Inc."); s.getToAddresses().clear(); s.addTo("y@example.jp", "山田 太郎"); s.addCc("john@example.com", "Doe, John"); s.setMsg("Hi\n"); out("comma-in-name", s);
    }
}
