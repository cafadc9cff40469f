package dev.fleetvault.protocol.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.google.protobuf.Message;
import dev.fleetvault.protocol.wire.ErrorCode;
import dev.fleetvault.protocol.wire.ErrorCodes;
import dev.fleetvault.protocol.wire.WireCodec;
import dev.fleetvault.protocol.wire.WireFormatException;
import dev.fleetvault.protocol.wire.WsResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite (resources/conformance/README.md) run against the Java reference, as any
 * implementation runs it: the file is read line by line, every golden decodes under the rules and
 * re-encodes to the same bytes, every reject is refused with its code, every error code has the
 * documented wire name and gRPC status; and the file is what the labelled inputs produce ({@code
 * -Dconformance.regenerate=true} rewrites it).
 */
class ConformanceTest {
  static Path dir() {
    Path p = Path.of("src", "test", "resources", "conformance");
    return Files.isDirectory(p)
        ? p
        : Path.of("protocol", "src", "test", "resources", "conformance");
  }

  static Path protocolMd() {
    Path p = Path.of("..", "docs", "PROTOCOL.md");
    return Files.exists(p) ? p : Path.of("docs", "PROTOCOL.md");
  }

  @Test
  void vectorsFile_isWhatTheLabelledInputsProduce() throws Exception {
    Path file = dir().resolve("vectors.txt");
    String expected = ConformanceVectors.render();
    if (Boolean.getBoolean("conformance.regenerate")) {
      Files.writeString(file, expected, StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(file, StandardCharsets.UTF_8))
        .as(
            "vectors.txt is stale: run ConformanceTest with -Dconformance.regenerate=true and review the diff")
        .isEqualTo(expected);
  }

  @SuppressWarnings("unchecked")
  private static Class<? extends Message> type(String name) throws ClassNotFoundException {
    return (Class<? extends Message>) Class.forName("dev.fleetvault.protocol.wire." + name);
  }

  @Test
  void javaReference_passesEveryVector() throws Exception {
    List<String> failures = new ArrayList<>();
    int goldens = 0;
    int rejects = 0;
    int errors = 0;
    for (String line : Files.readAllLines(dir().resolve("vectors.txt"), StandardCharsets.UTF_8)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split(" ");
      String kind = f[0];
      String name = f[1];
      byte[] bytes = f[3].equals("-") ? new byte[0] : HexFormat.of().parseHex(f[3]);
      try {
        switch (kind) {
          case "golden":
            {
              Message m = WireCodec.decode(type(f[2]), bytes);
              if (!java.util.Arrays.equals(m.toByteArray(), bytes)) {
                failures.add(name + ": re-encoding differs");
              }
              if (m instanceof WsResponse r
                  && r.hasError()
                  && !name.equals(
                      "error." + ErrorCodes.wireName(r.getError().getCode()) + ".ws-response")
                  && !name.startsWith("error.undecodable")) {
                failures.add(name + ": code " + r.getError().getCode());
              }
              goldens++;
              break;
            }
          case "grpc-frame":
            {
              int len =
                  ((bytes[1] & 0xff) << 24)
                      | ((bytes[2] & 0xff) << 16)
                      | ((bytes[3] & 0xff) << 8)
                      | (bytes[4] & 0xff);
              if (bytes[0] != 0 || len != bytes.length - 5) {
                failures.add(name + ": bad gRPC prefix");
              }
              WireCodec.decode(type(f[2]), java.util.Arrays.copyOfRange(bytes, 5, bytes.length));
              break;
            }
          case "reject":
            {
              try {
                WireCodec.decode(type(f[2]), bytes);
                failures.add(name + ": accepted");
              } catch (WireFormatException e) {
                String code = ErrorCodes.wireName(ErrorCodes.of(e));
                if (!code.equals(f[4])) {
                  failures.add(name + ": refused as " + code + ", expected " + f[4]);
                }
              }
              rejects++;
              break;
            }
          case "error":
            {
              ErrorCode c = ErrorCodes.fromWireName(name);
              if (c.getNumber() != Integer.parseInt(f[4])
                  || ErrorCodes.grpcStatus(c) != Integer.parseInt(f[5])) {
                failures.add(name + ": mapping " + c.getNumber() + "/" + ErrorCodes.grpcStatus(c));
              }
              errors++;
              break;
            }
          default:
            failures.add("unknown kind " + kind);
        }
      } catch (WireFormatException e) {
        failures.add(name + ": " + e.getMessage());
      }
    }
    assertThat(failures).isEmpty();
    assertThat(goldens).isGreaterThanOrEqualTo(7 * 4 + 14);
    assertThat(rejects).isGreaterThanOrEqualTo(10);
    assertThat(errors).isEqualTo(ErrorCodes.sent().length);
  }

  @Test
  void protocolMdErrorTable_isTheMapping() throws Exception {
    String md = Files.readString(protocolMd(), StandardCharsets.UTF_8);
    int b = md.indexOf("<!-- error-codes:begin -->");
    int e = md.indexOf("<!-- error-codes:end -->");
    if (b < 0 || e < b) {
      fail("PROTOCOL.md has no error-codes table");
    }
    Pattern row = Pattern.compile("^\\| (\\d+) \\| `([a-z_]+)` \\| ([A-Z_]+) \\((\\d+)\\) \\|.*");
    int rows = 0;
    for (String line : md.substring(b, e).split("\n")) {
      Matcher m = row.matcher(line);
      if (!m.matches()) {
        continue;
      }
      ErrorCode c = ErrorCode.forNumber(Integer.parseInt(m.group(1)));
      assertThat(c).as(line).isNotNull();
      assertThat(ErrorCodes.wireName(c)).as(line).isEqualTo(m.group(2));
      assertThat(ErrorCodes.grpcStatus(c)).as(line).isEqualTo(Integer.parseInt(m.group(4)));
      assertThat(io.vertx.grpc.common.GrpcStatus.valueOf(Integer.parseInt(m.group(4))).name())
          .as(line)
          .isEqualTo(m.group(3));
      rows++;
    }
    assertThat(rows).isEqualTo(ErrorCodes.sent().length);
  }
}
