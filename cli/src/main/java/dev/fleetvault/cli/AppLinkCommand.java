package dev.fleetvault.cli;

import dev.fleetvault.cli.impl.ClientFactory;
import dev.fleetvault.gateway.config.NodeConfig;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code fleetvault app-link}: prints the web app's address with a sign-in token for one user in
 * the fragment (DEVELOPMENT ONLY: it mints the token with the app key, which in a real deployment
 * only the app's backend holds).
 */
@Command(
    name = "app-link",
    mixinStandardHelpOptions = true,
    header = "Print a sign-in link to the web app for a user (development).",
    description = {
      "Mints an app token for --user with the app key (the development key next to --config by default) "
          + "and prints http://localhost:<edge port>/app/#token=<token>. The token stays in the fragment: the browser "
          + "never sends it to the server with the page request. 'localhost' because passkeys need a domain name "
          + "(http://127.0.0.1:7401/app works too, with a pasted token, for PINs)."
    })
final class AppLinkCommand implements Callable<Integer> {
  @ParentCommand FleetvaultCommand parent;

  @Option(names = "--user", required = true, paramLabel = "U", description = "User id.")
  String user;

  @Option(
      names = "--valid-minutes",
      paramLabel = "N",
      defaultValue = "60",
      description = "How long the token is valid (1..1440). Default: ${DEFAULT-VALUE}.")
  int validMinutes;

  @Mixin ConnectOptions connect;

  @Override
  public Integer call() {
    dev.fleetvault.cli.impl.InputFiles.checkUser(user);
    if (validMinutes < 1 || validMinutes > 1440) {
      throw new CliException(ExitCodes.USAGE, "--valid-minutes must be 1..1440");
    }
    NodeConfig config = ClientFactory.loadConfig(connect.config(), connect.dataRoot());
    int port =
        connect.explicitEdges().isEmpty()
            ? config.members().get(0).client().port()
            : connect.explicitEdges().get(0).port();
    String token =
        ClientFactory.tokens(config, connect, Duration.ofMinutes(validMinutes)).mint(user);
    parent.io().out().println("http://localhost:" + port + "/app/#token=" + token);
    return ExitCodes.OK;
  }
}
