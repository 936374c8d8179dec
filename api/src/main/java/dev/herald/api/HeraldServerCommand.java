package dev.herald.api;

import io.dropwizard.core.Application;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ServerCommand;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.jetty.ConnectorFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * Dropwizard's {@code server} command, except that a port already in use ends the start with one
 * line naming the port and its variable ({@code HERALD_API_PORT}, {@code HERALD_ADMIN_PORT})
 * instead of a stack trace: the ports are tried before anything else starts, and a bind that
 * fails anyway at Jetty's start is reported the same way.
 */
final class HeraldServerCommand extends ServerCommand<HeraldConfiguration> {

  HeraldServerCommand(Application<HeraldConfiguration> application) {
    super(application);
  }

  /** A port of the configuration that another process holds. */
  static final class PortInUseException extends Exception {
    PortInUseException(String message) {
      super(message, null, false, false);
    }
  }

  @Override
  protected void run(Bootstrap<HeraldConfiguration> bootstrap, Namespace namespace,
      HeraldConfiguration configuration) throws Exception {
    checkPorts(configuration);
    super.run(bootstrap, namespace, configuration);
  }

  @Override
  protected void run(Environment environment, Namespace namespace,
      HeraldConfiguration configuration) throws Exception {
    try {
      super.run(environment, namespace, configuration);
    } catch (Exception e) {
      // Taken between the check and Jetty's start; Dropwizard has logged it already.
      BindException taken = bindFailure(e);
      if (taken != null) {
        throw new PortInUseException("herald: a port of the API (HERALD_API_PORT) or the admin"
            + " port (HERALD_ADMIN_PORT) is already in use: " + taken.getMessage());
      }
      throw e;
    }
  }

  @Override
  public void onError(Cli cli, Namespace namespace, Throwable e) {
    if (e instanceof PortInUseException) {
      cli.getStdErr().println(e.getMessage());
    } else {
      super.onError(cli, namespace, e);
    }
  }

  /** Binds each configured port for a moment, as Jetty will; the first one taken fails the start. */
  static void checkPorts(HeraldConfiguration configuration) throws PortInUseException {
    if (!(configuration.getServerFactory() instanceof DefaultServerFactory server)) {
      return;
    }
    check(server.getApplicationConnectors(), "HERALD_API_PORT", "the API");
    check(server.getAdminConnectors(), "HERALD_ADMIN_PORT", "the admin port");
  }

  private static void check(List<ConnectorFactory> connectors, String variable, String what)
      throws PortInUseException {
    for (ConnectorFactory connector : connectors) {
      if (!(connector instanceof HttpConnectorFactory http) || http.getPort() == 0) {
        continue;
      }
      String host = http.getBindHost();
      InetSocketAddress address =
          host == null || host.isBlank()
              ? new InetSocketAddress(http.getPort())
              : new InetSocketAddress(host, http.getPort());
      try (ServerSocket socket = new ServerSocket()) {
        socket.setReuseAddress(http.isReuseAddress());
        socket.bind(address);
      } catch (BindException e) {
        String on = host == null || host.isBlank() ? "every interface" : host;
        throw new PortInUseException("herald: port " + http.getPort() + " of " + what + " ("
            + variable + ") is already in use on " + on + "; stop what listens there or set "
            + variable + " to another port");
      } catch (IOException e) {
        // Not a port in use (an address this host does not have...): Jetty reports it as ever.
      }
    }
  }

  private static BindException bindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException b) {
        return b;
      }
    }
    return null;
  }
}
