package dev.fleetvault.config.yaml;

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
 * Parses a YAML file into a node tree without constructing any objects, ready for {@link YamlMap}'s
 * typed, strict reads. The one YAML entry point of every Fleetvault configuration file.
 *
 * <p>Guarantees: at most {@link #MAX_FILE_CHARS} characters, {@link #MAX_NESTING} levels of nesting
 * and {@link #MAX_ALIASES} aliases are read (a larger or deeper file, or one with more aliases, is
 * refused, never expanded); duplicate and recursive keys are refused; no Java object is constructed
 * from the document (no tags act); the top level must be a mapping; every failure, including an
 * unreadable file, is a {@link ConfigException} naming the file (and the line when the parser knows
 * it).
 */
public final class StrictYaml {
  /** Largest configuration file accepted. */
  public static final int MAX_FILE_CHARS = 1 << 20;

  /** Deepest nesting of mappings and lists accepted. */
  public static final int MAX_NESTING = 20;

  /** Most aliases ({@code *name}) one file may use. */
  public static final int MAX_ALIASES = 5;

  private StrictYaml() {}

  /** Reads {@code file}; its top level must be a mapping. */
  public static YamlMap parse(Path file) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setAllowRecursiveKeys(false);
    options.setCodePointLimit(MAX_FILE_CHARS);
    options.setNestingDepthLimit(MAX_NESTING);
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
