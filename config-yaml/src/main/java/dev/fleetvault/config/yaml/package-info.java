/**
 * The strict YAML layer every Fleetvault configuration file is read through: {@link
 * dev.fleetvault.config.yaml.StrictYaml} parses (bounded, no object construction) and {@link
 * dev.fleetvault.config.yaml.YamlMap} reads typed keys, refusing duplicate and unknown keys and
 * reporting every problem as a {@link dev.fleetvault.config.yaml.ConfigException} with {@code
 * file:line} and the dotted key.
 */
package dev.fleetvault.config.yaml;
