package dev.fleetvault.cli.impl;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** FLEETVAULT_LOG_FORMAT=json's configuration writes one JSON object a line, MDC included. */
class JsonLogFormatTest {

  @Test
  void logbackJson_warning_oneJsonObjectPerLine() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream err = System.err;
    LoggerContext ctx = new LoggerContext();
    ctx.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      JoranConfigurator jc = new JoranConfigurator();
      jc.setContext(ctx);
      jc.doConfigure(getClass().getResource("/logback-json.xml"));
      ctx.getMDCAdapter().put("request_id", "r-123");
      ctx.getLogger("dev.fleetvault.test").warn("edge {} refused", "dc1");
      ctx.getLogger("dev.fleetvault.test").info("not shown at the default level");
    } finally {
      ctx.stop();
      System.setErr(err);
    }
    String[] lines = captured.toString(StandardCharsets.UTF_8).strip().split("\n");
    assertThat(lines).hasSize(1);
    JsonObject n = new JsonObject(lines[0]);
    assertThat(n.getString("level")).isEqualTo("WARN");
    assertThat(n.getString("loggerName")).isEqualTo("dev.fleetvault.test");
    assertThat(n.getString("formattedMessage")).isEqualTo("edge dc1 refused");
    assertThat(n.getJsonObject("mdc").getString("request_id")).isEqualTo("r-123");
  }

  @Test
  void logbackText_requestIdInMdc_shownInBracketsElseNothing() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream err = System.err;
    LoggerContext ctx = new LoggerContext();
    ctx.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      JoranConfigurator jc = new JoranConfigurator();
      jc.setContext(ctx);
      jc.doConfigure(getClass().getResource("/logback.xml"));
      ctx.getMDCAdapter().put("request_id", "ab12-7");
      ctx.getLogger("dev.fleetvault.test").warn("with id");
      ctx.getMDCAdapter().remove("request_id");
      ctx.getLogger("dev.fleetvault.test").warn("without id");
    } finally {
      ctx.stop();
      System.setErr(err);
    }
    String[] lines = captured.toString(StandardCharsets.UTF_8).strip().split("\n");
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).endsWith("WARN  dev.fleetvault.test [ab12-7] - with id");
    assertThat(lines[1]).endsWith("WARN  dev.fleetvault.test - without id");
  }
}
