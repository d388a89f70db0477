package org.vigil.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/vigil ctl [-p PIDFILE] COMMAND...}: runs one Gogo command in the running daemon
 * through its control socket (beside the pid file: /run/vigil.pid has /run/vigil.ctl) and prints
 * the result. The shell bundle's ControlSocket is the other end: it replies with the exit status
 * on the first line, then the output.
 */
@Command(name = "ctl", description = "Run a console command (vrrp:list, vrrp:driver pcap, lb, ...) in the running daemon.",
        footer = { "", "Exit status: 0 when the command succeeded, " + CtlCommand.FAILED + " when it failed, "
                + CtlCommand.NO_DAEMON + " when no daemon answers on the control socket." })
final class CtlCommand implements Callable<Integer> {
    static final int FAILED = 1;
    static final int NO_DAEMON = 3;

    @Option(names = { "-p", "--pid" }, paramLabel = "PIDFILE", description = "The daemon's pidfile (default as the daemon's: /run/vigil.pid, or run/vigil.pid under VIGIL_HOME); its control socket is beside it.")
    Path pidFile;

    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The command and its arguments.")
    List<String> command = new ArrayList<>();

    private final PrintStream out;
    private final PrintStream err;

    CtlCommand() {
        this(System.out, System.err);
    }

    CtlCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        Path pid = pidFile != null ? pidFile : Home.defaultPidFile(Home.path());
        Path socket = Home.controlSocket(pid);
        if (!Files.exists(socket)) {
            err.println("vigil ctl: no Vigil daemon: " + socket + " does not exist (pid file " + pid
                    + (Files.exists(pid) ? ", present" : ", absent") + "); start one, or name its pid file with -p");
            return NO_DAEMON;
        }
        if (Home.inTempDirectory(socket) && !ownedByMe(socket)) {
            err.println("vigil ctl: " + socket + " is not owned by " + System.getProperty("user.name")
                    + ": not talking to it");
            return NO_DAEMON;
        }
        try {
            Reply reply = send(socket, commandLine(command));
            if (reply == null) {
                err.println("vigil ctl: the daemon on " + socket + " closed the connection without a reply");
                return FAILED;
            }
            out.print(reply.output());
            out.flush();
            return reply.ok() ? 0 : FAILED;
        } catch (AccessDeniedException e) {
            err.println("vigil ctl: permission denied on " + socket + " (owner only): run as the daemon's user");
            return NO_DAEMON;
        } catch (SocketException e) {
            String reason = String.valueOf(e.getMessage());
            if (reason.contains("ermission")) {
                err.println("vigil ctl: permission denied on " + socket + " (owner only): run as the daemon's user");
            } else {
                err.println("vigil ctl: no Vigil daemon answers on " + socket + " (" + reason + "); is it running?");
            }
            return NO_DAEMON;
        } catch (IOException e) {
            err.println("vigil ctl: talking to the daemon on " + socket + " failed: " + e.getMessage());
            return FAILED;
        }
    }

    /** A command's verdict and output from the daemon. */
    record Reply(boolean ok, String output) {
    }

    /** Runs one command line in the daemon on {@code socket}; null when it closed without a reply. */
    static Reply send(Path socket, String line) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            channel.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
            InputStream in = Channels.newInputStream(channel);
            String status = readStatus(in);
            if (status == null) {
                return null;
            }
            return new Reply("0".equals(status), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static boolean ownedByMe(Path socket) {
        try {
            return Files.getOwner(socket).getName().equals(System.getProperty("user.name"));
        } catch (IOException e) {
            return false;
        }
    }

    /** The arguments as one Gogo command line; an argument with spaces stays one argument. */
    static String commandLine(List<String> args) {
        StringBuilder line = new StringBuilder();
        for (String a : args) {
            if (line.length() > 0) {
                line.append(' ');
            }
            boolean quote = a.isEmpty() || a.chars().anyMatch(Character::isWhitespace);
            line.append(quote ? "'" + a.replace("'", "\\'") + "'" : a);
        }
        return line.toString().replace('\n', ' ');
    }

    private static String readStatus(InputStream in) throws IOException {
        StringBuilder status = new StringBuilder();
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (b == '\n') {
                return status.toString();
            }
            status.append((char) b);
        }
        return null;
    }
}
