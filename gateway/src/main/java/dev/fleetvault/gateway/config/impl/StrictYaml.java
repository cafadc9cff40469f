package dev.fleetvault.gateway.config.impl;

import dev.fleetvault.gateway.config.ConfigException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Parses a YAML file into a node tree without constructing any objects (no tags, no aliases beyond
 * a small budget, size-limited), ready for {@link YamlMap}'s typed, strict reads.
 */
public final class StrictYaml {
  /** Largest configuration file accepted. */
  public static final int MAX_FILE_CHARS = 1 << 20;

  private StrictYaml() {}

  /** Reads {@code file}; its top level must be a mapping. */
  public static YamlMap parse(Path file) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(5);
    options.setAllowRecursiveKeys(false);
    options.setCodePointLimit(MAX_FILE_CHARS);
    options.setNestingDepthLimit(20);
    Yaml yaml =
        new Yaml(
            new SafeConstructor(options),
            new org.yaml.snakeyaml.representer.Representer(new org.yaml.snakeyaml.DumperOptions()),
            new org.yaml.snakeyaml.DumperOptions(),
            options);
    String name = file.toString();
    Node root;
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      root = yaml.compose(reader);
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      throw new ConfigException(name + ":" + line + ": not valid YAML: " + e.getProblem());
    } catch (IOException e) {
      throw new ConfigException(name + ": cannot read configuration file: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new ConfigException(name + ": not valid YAML: " + e.getMessage(), e);
    }
    if (!(root instanceof MappingNode)) {
      throw new ConfigException(name + ": the file must hold a YAML mapping (key: value lines)");
    }
    return new YamlMap(name, "", (MappingNode) root);
  }
}
