package dev.fleetvault.cli.transparency;

/**
 * Minimal HTML writing: every text and attribute value goes through {@link #esc}, so nothing an
 * artifact, a statement or a log carries can become markup (the signer also serves the site with a
 * no-script CSP).
 */
final class Html {
  private final StringBuilder b = new StringBuilder();

  static String esc(Object o) {
    String s = String.valueOf(o);
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** Raw markup (only literal markup written by this package). */
  Html raw(String s) {
    b.append(s);
    return this;
  }

  /** Escaped text. */
  Html text(Object s) {
    b.append(esc(s));
    return this;
  }

  /** {@code <tag class=cls>text</tag>}. */
  Html el(String tag, String cls, Object text) {
    b.append('<').append(tag);
    if (cls != null) {
      b.append(" class=\"").append(esc(cls)).append('"');
    }
    b.append('>').append(esc(text)).append("</").append(tag).append('>');
    return this;
  }

  /** A link. */
  Html a(String href, Object text) {
    b.append("<a href=\"").append(esc(href)).append("\">").append(esc(text)).append("</a>");
    return this;
  }

  /** A definition-list row. */
  Html dt(String term, Object value, boolean code) {
    b.append("<dt>").append(esc(term)).append("</dt><dd>");
    b.append(code ? "<code>" + esc(value) + "</code>" : esc(value));
    b.append("</dd>\n");
    return this;
  }

  /** A whole page around {@code body}. */
  static String page(String title, String cssHref, String homeHref, String body) {
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        + "<title>"
        + esc(title)
        + "</title>\n<link rel=\"stylesheet\" href=\""
        + esc(cssHref)
        + "\">\n</head>\n<body>\n"
        + "<header class=\"top\"><div class=\"wrap\"><a class=\"brand\" href=\""
        + esc(homeHref)
        + "\">Fleetvault transparency</a><span class=\"tag\">every fleet epoch, with its evidence</span></div></header>\n"
        + "<main class=\"wrap\">\n"
        + body
        + "</main>\n"
        + "<footer class=\"wrap\"><p>A static site built by <code>fleetvault transparency build</code>. Nothing here"
        + " needs to be trusted: every fact can be checked with the commands on each epoch page, against keys you"
        + " obtained yourself.</p></footer>\n</body>\n</html>\n";
  }

  @Override
  public String toString() {
    return b.toString();
  }
}
