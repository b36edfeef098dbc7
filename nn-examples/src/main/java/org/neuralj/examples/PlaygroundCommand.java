package org.neuralj.examples;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.neuralj.playground.PlaygroundServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Starts the playground's web server (nn-playground) and prints the page's address; Ctrl+C stops it. */
@Command(name = "playground", mixinStandardHelpOptions = true,
        footerHeading = Main.EXAMPLE,
        footer = "  neuralj playground --port 8080",
        description = {"Watch a network learn in the browser, and see backpropagation at work.",
                "Starts a local web server and prints the address of its page. Each browser tab trains its own"
                        + " network on the server; Ctrl+C stops the server."})
final class PlaygroundCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "7070", paramLabel = "PORT",
            description = "Port to listen on, 0 for any free port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only). Any other address"
                    + " lets everyone who can reach it use the page and the server's CPU: there is no"
                    + " authentication.")
    String host;

    @Option(names = "--max-sessions", defaultValue = "8", paramLabel = "N",
            description = "Browser tabs that may train at once, 1..64 (default: ${DEFAULT-VALUE}).")
    int maxSessions;

    @Override
    public Integer call() throws InterruptedException {
        FlagCheck.require(spec, port >= 0 && port <= 65535, "--port must be in 0..65535 but was " + port);
        FlagCheck.require(spec, maxSessions >= 1 && maxSessions <= 64,
                "--max-sessions must be in 1..64 but was " + maxSessions);
        PlaygroundServer server = PlaygroundServer.start(host, port, maxSessions);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "playground-stop"));
        PrintWriter out = spec.commandLine().getOut();
        out.println("Playground: " + server.url() + "  (open it in a browser; Ctrl+C stops the server)");
        out.flush();
        server.join();
        return 0;
    }
}
