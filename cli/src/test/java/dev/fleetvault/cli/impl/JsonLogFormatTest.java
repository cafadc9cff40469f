package dev.fleetvault.cli.impl;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The shipped logback configurations: JSON lines (FLEETVAULT_LOG_FORMAT=json) and text with the
 * request id.
 */
class JsonLogFormatTest {

  /**
   * The standard-error lines written while {@code logging} logs through a fresh context configured
   * from {@code resource}.
   */
  private static String[] linesLogged(String resource, Consumer<LoggerContext> logging)
      throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream err = System.err;
    LoggerContext ctx = new LoggerContext();
    ctx.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      JoranConfigurator jc = new JoranConfigurator();
      jc.setContext(ctx);
      jc.doConfigure(JsonLogFormatTest.class.getResource(resource));
      logging.accept(ctx);
    } finally {
      ctx.stop();
      System.setErr(err);
    }
    return captured.toString(StandardCharsets.UTF_8).strip().split("\n");
  }

  @Test
  void logbackJson_warning_oneJsonObjectPerLine() throws Exception {
    String[] lines =
        linesLogged(
            "/logback-json.xml",
            ctx -> {
              ctx.getMDCAdapter().put("request_id", "r-123");
              ctx.getLogger("dev.fleetvault.test").warn("edge {} refused", "dc1");
              ctx.getLogger("dev.fleetvault.test").info("not shown at the default level");
            });
    assertThat(lines).hasSize(1);
    JsonObject n = new JsonObject(lines[0]);
    assertThat(n.getString("level")).isEqualTo("WARN");
    assertThat(n.getString("loggerName")).isEqualTo("dev.fleetvault.test");
    assertThat(n.getString("formattedMessage")).isEqualTo("edge dc1 refused");
    assertThat(n.getJsonObject("mdc").getString("request_id")).isEqualTo("r-123");
  }

  @Test
  void logbackText_requestIdInMdc_shownInBracketsElseNothing() throws Exception {
    String[] lines =
        linesLogged(
            "/logback.xml",
            ctx -> {
              ctx.getMDCAdapter().put("request_id", "ab12-7");
              ctx.getLogger("dev.fleetvault.test").warn("with id");
              ctx.getMDCAdapter().remove("request_id");
              ctx.getLogger("dev.fleetvault.test").warn("without id");
            });
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).endsWith("WARN  dev.fleetvault.test [ab12-7] - with id");
    assertThat(lines[1]).endsWith("WARN  dev.fleetvault.test - without id");
  }
}
