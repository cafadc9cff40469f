package dev.fleetvault.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No module reaches into another module's {@code .impl} packages: an {@code impl} package is that
 * module's own business (STYLE: "impl packages for non-API"), so what another module needs has to
 * be API, with Javadoc stating its guarantees. Scans the Java sources (main and test) of every
 * module the root POM lists, for imports and fully qualified references alike.
 */
class ModuleBoundariesTest {
  private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
  private static final Pattern PACKAGE =
      Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
  private static final Pattern IMPL_REFERENCE =
      Pattern.compile("\\b(dev\\.fleetvault(?:\\.\\w+)*\\.impl)\\.(?:\\w+\\.)*[A-Z]\\w*");

  @Test
  void sources_everyModule_importNoOtherModulesImplPackage() throws IOException {
    Path root = repositoryRoot();
    Map<String, Path> modules = modules(root);
    assertThat(modules).as("modules listed in the root pom.xml").hasSizeGreaterThan(10);
    assertThat(javaFiles(modules.get("gateway").resolve("src")))
        .as("the scan sees sources (gateway)")
        .isNotEmpty();
    assertThat(violations(modules)).as("references to another module's .impl package").isEmpty();
  }

  @Test
  void violations_testImportsAnotherModulesImpl_reported() throws IOException {
    Path tmp = Files.createTempDirectory(buildDir(), "boundaries-");
    Path a = tmp.resolve("a/src/main/java/dev/fleetvault/a");
    Path aImpl = tmp.resolve("a/src/main/java/dev/fleetvault/a/impl");
    Path b = tmp.resolve("b/src/test/java/dev/fleetvault/b");
    Files.createDirectories(aImpl);
    Files.createDirectories(b);
    Files.writeString(a.resolve("Api.java"), "package dev.fleetvault.a;\nclass Api {}\n");
    Files.writeString(
        aImpl.resolve("Inner.java"),
        "package dev.fleetvault.a.impl;\nimport dev.fleetvault.a.Api;\nclass Inner {}\n");
    Files.writeString(
        b.resolve("UsesA.java"),
        "package dev.fleetvault.b;\n"
            + "import dev.fleetvault.a.Api;\n"
            + "class UsesA { Object o = new dev.fleetvault.a."
            + "impl.Inner(); }\n");
    Map<String, Path> modules = new LinkedHashMap<>();
    modules.put("a", tmp.resolve("a"));
    modules.put("b", tmp.resolve("b"));

    assertThat(violations(modules))
        .singleElement()
        .asString()
        .contains("b:")
        .contains("UsesA.java")
        .contains("a.impl.Inner");
  }

  /**
   * "module: file: reference" for every reference to an impl package the module does not own, and
   * for every file placed in another module's impl package (a split package reaches in without
   * naming it).
   */
  static List<String> violations(Map<String, Path> modules) throws IOException {
    Map<String, Set<String>> mainPackages = new LinkedHashMap<>();
    for (Map.Entry<String, Path> m : modules.entrySet()) {
      Set<String> own = new HashSet<>();
      for (Path f : javaFiles(m.getValue().resolve("src/main"))) {
        String p = packageOf(f);
        if (p != null) {
          own.add(p);
        }
      }
      mainPackages.put(m.getKey(), own);
    }
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Path> m : modules.entrySet()) {
      Set<String> others = new HashSet<>();
      mainPackages.forEach(
          (name, pkgs) -> {
            if (!name.equals(m.getKey())) {
              others.addAll(pkgs);
            }
          });
      others.removeAll(mainPackages.get(m.getKey()));
      List<Path> files = javaFiles(m.getValue().resolve("src"));
      Set<String> own = new HashSet<>(mainPackages.get(m.getKey()));
      for (Path f : files) {
        String p = packageOf(f);
        if (p == null) {
          continue;
        }
        if (others.contains(p)) {
          if (p.endsWith(".impl") || p.contains(".impl.")) {
            out.add(m.getKey() + ": " + m.getValue().relativize(f) + ": in package " + p);
          }
        } else {
          own.add(p);
        }
      }
      for (Path f : files) {
        Matcher r = IMPL_REFERENCE.matcher(read(f));
        while (r.find()) {
          if (!own.contains(r.group(1))) {
            out.add(m.getKey() + ": " + m.getValue().relativize(f) + ": " + r.group().trim());
          }
        }
      }
    }
    return out;
  }

  private static String packageOf(Path f) {
    Matcher p = PACKAGE.matcher(read(f));
    return p.find() ? p.group(1) : null;
  }

  private static Map<String, Path> modules(Path root) throws IOException {
    Map<String, Path> out = new LinkedHashMap<>();
    Matcher m = MODULE.matcher(read(root.resolve("pom.xml")));
    while (m.find()) {
      String name = m.group(1).trim();
      out.put(name, root.resolve(name));
    }
    return out;
  }

  private static List<Path> javaFiles(Path src) throws IOException {
    if (!Files.isDirectory(src)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(src)) {
      return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
  }

  private static String read(Path f) {
    try {
      return Files.readString(f, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The checkout's root: the nearest directory upwards holding pom.xml and dist/pom.xml. */
  private static Path repositoryRoot() {
    Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    while (p != null) {
      if (Files.isRegularFile(p.resolve("pom.xml"))
          && Files.isRegularFile(p.resolve("dist/pom.xml"))) {
        return p;
      }
      p = p.getParent();
    }
    throw new IllegalStateException(
        "no checkout root (pom.xml beside dist/) above " + System.getProperty("user.dir"));
  }

  private static Path buildDir() throws IOException {
    Path base = Path.of(System.getProperty("fleetvault.buildDir", "target")).toAbsolutePath();
    Files.createDirectories(base);
    return base;
  }
}
