package dev.fleetvault.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetvault.gateway.support.Ports;
import dev.fleetvault.gateway.support.TestFleet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node process whose start fails exits with code 1 instead of hanging: here a soft driver (which
 * has EC) configured with {@code member_keys: wrapped}, refused after the driver opened.
 */
@Tag("process")
class NodeMainStartFailureTest {
  @TempDir Path dir;

  @Test
  void main_wrappedOnEcCapableHsm_exitsWithOneNamingInHsm() throws Exception {
    Path yaml = TestFleet.writeConfig(dir, Ports.freeBlock(12), null);
    String text = Files.readString(yaml, StandardCharsets.UTF_8);
    String from = "      driver: soft\n";
    assertThat(text).contains(from);
    Files.writeString(
        yaml, text.replace(from, from + "      member_keys: wrapped\n"), StandardCharsets.UTF_8);
    Path err = dir.resolve("node.err");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                NodeMain.class.getName(),
                "--config",
                yaml.toString(),
                "--member",
                "dc1")
            .redirectOutput(dir.resolve("node.out").toFile())
            .redirectError(err.toFile())
            .start();
    try {
      boolean exited = p.waitFor(3, TimeUnit.MINUTES);
      assertThat(exited).as("NodeMain exited after its start failed (hang guard)").isTrue();
      assertThat(p.exitValue()).isEqualTo(1);
      assertThat(Files.readString(err))
          .contains("failed to start")
          .contains("only for HSMs without EC")
          .contains("member_keys: in_hsm");
    } finally {
      p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }
}
