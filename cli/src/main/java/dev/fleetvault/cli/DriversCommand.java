package dev.fleetvault.cli;

import dev.fleetvault.driver.spi.Capability;
import dev.fleetvault.driver.spi.DriverPath;
import dev.fleetvault.driver.spi.Drivers;
import dev.fleetvault.driver.spi.HsmDriverProvider;
import dev.fleetvault.driver.spi.HsmException;
import dev.fleetvault.gateway.driver.DriverOpener;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code fleetvault drivers}: the HSM driver providers this installation finds (class path and the
 * drivers directory), each with its id, SPI version, location, settings and the capabilities it
 * declares. Only allowed provider classes are instantiated (the built-in ones and those passed with
 * {@code --allow}); others are listed by class name only, as a node would refuse them.
 */
@Command(
    name = "drivers",
    mixinStandardHelpOptions = true,
    header = "List the HSM drivers found, their settings and capabilities.",
    description =
        "Lists the HSM driver providers on the class path and in the drivers directory (FLEETVAULT_DRIVERS_DIR): "
            + "id, SPI version, jar, settings (describeSettings) and the capabilities each declares. A provider class is "
            + "instantiated only when it is built in or named with --allow, as in a node's hsm.allowed_providers; "
            + "others are listed by class name. Exits 1 when the drivers directory cannot be read.")
final class DriversCommand implements Callable<Integer> {
  @ParentCommand FleetvaultCommand parent;

  @Option(
      names = "--allow",
      paramLabel = "CLASS",
      description =
          "Also instantiate this provider class (repeatable), as hsm.allowed_providers would.")
  List<String> allow = new ArrayList<>();

  @Override
  public Integer call() {
    Io io = parent.io();
    PrintStream out = io.out();
    List<String> allowed = new ArrayList<>(DriverOpener.BUILT_IN);
    allowed.addAll(allow);
    Drivers drivers;
    try {
      drivers = Drivers.load(DriverPath.loader(), allowed, "--allow");
    } catch (HsmException e) {
      io.err().println("error: " + e.getMessage());
      return ExitCodes.FAILURE;
    }
    out.println(
        "drivers directory: "
            + DriverPath.configured()
                .map(p -> p + " (" + DriverPath.ENV + " or -D" + DriverPath.PROPERTY + ")")
                .orElse("none (set " + DriverPath.ENV + " to load driver jars from a directory)"));
    for (HsmDriverProvider p : drivers.providers()) {
      out.println();
      out.println(p.id() + "  " + p.getClass().getName());
      out.println("  spi version:  " + p.spiVersion());
      out.println("  location:     " + Drivers.location(p));
      Set<Capability> caps = p.declaredCapabilities();
      out.println(
          "  capabilities: "
              + (caps.isEmpty()
                  ? "(reported by the device once opened)"
                  : String.join(" ", new TreeSet<>(caps.stream().map(Enum::name).toList())))
              + (caps.isEmpty() ? "" : "  (at most; the device may offer fewer)"));
      out.println("  settings:");
      int width = p.describeSettings().keySet().stream().mapToInt(String::length).max().orElse(0);
      for (Map.Entry<String, String> s : p.describeSettings().entrySet()) {
        out.println("    " + pad(s.getKey(), width) + "  " + s.getValue());
      }
    }
    if (!drivers.refusedProviderClasses().isEmpty()) {
      out.println();
      out.println(
          "found but not allowed (not instantiated; add --allow CLASS, and to hsm.allowed_providers to use one):");
      drivers.refusedProviderClasses().forEach(c -> out.println("  " + c));
    }
    if (!drivers.loadFailures().isEmpty()) {
      out.println();
      out.println("failed to load:");
      drivers.loadFailures().forEach(f -> out.println("  " + f));
    }
    return ExitCodes.OK;
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - s.length()));
  }
}
