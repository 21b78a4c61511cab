using Caisson.Core.Configuration;

namespace Caisson.Tests.Cli;

public sealed class UsageErrorTests
{
    [Theory]
    [InlineData("unknown verb", "imgs", "caisson: unknown command \"imgs\"", "Run 'caisson --help'")]
    [InlineData("unknown flag of a verb", "images --bogus", "caisson: unknown flag: --bogus", "Run 'caisson images --help'")]
    [InlineData("unknown global flag", "--bogus images", "caisson: unknown flag: --bogus", "Run 'caisson --help'")]
    [InlineData("missing argument", "pull", "caisson: \"caisson pull\" takes exactly 1 argument, got 0", "Run 'caisson pull --help'")]
    [InlineData("too many arguments", "tag a b c", "caisson: \"caisson tag\" takes exactly 2 arguments, got 3", "Run 'caisson tag --help'")]
    [InlineData("rmi needs at least one", "rmi", "caisson: \"caisson rmi\" takes at least 1 argument, got 0", "Run 'caisson rmi --help'")]
    [InlineData("flag value missing", "pull --platform", "caisson: flag --platform needs a value (OS/ARCH[/VARIANT])", "Run 'caisson pull --help'")]
    [InlineData("bad platform", "pull --platform linux img", "caisson: invalid platform \"linux\": want os/arch[/variant]", "Run 'caisson pull --help'")]
    [InlineData("bad output format", "images -o yaml", "caisson: unknown output format \"yaml\": use table or json", "Run 'caisson images --help'")]
    [InlineData("bad progress mode", "pull --progress fancy img", "caisson: unknown progress mode \"fancy\": use auto, tty or plain", "Run 'caisson pull --help'")]
    [InlineData("password-stdin without user", "pull --password-stdin img", "caisson: --password-stdin needs --user USER", "Run 'caisson pull --help'")]
    [InlineData("user without password", "pull -u bob img", "caisson: --user USER needs a password: --user USER:PASSWORD or --password-stdin", "Run 'caisson pull --help'")]
    [InlineData("unknown config subcommand", "config show", "caisson: unknown config subcommand \"show\": the only one is \"default\"", "Run 'caisson config --help'")]
    [InlineData("run without an image", "run", "caisson: \"caisson run\" takes at least 1 argument, got 0", "Run 'caisson run --help'")]
    [InlineData("run -it", "run -it busybox sh", "caisson: interactive containers (-i, -t) need a streaming attach, which caisson does not have yet; give the container a command, or run it with -d and use caisson exec", "Run 'caisson run --help'")]
    [InlineData("run with a bad port", "run -p 80 nginx", "caisson: -p 80: give the host port too (-p HOST:CONTAINER, e.g. -p 8080:80); a pod port is only published on a port you choose", "Run 'caisson run --help'")]
    [InlineData("run with a named volume", "run -v data:/data busybox", "caisson: -v data:/data: \"data\" would be a named volume, which caisson does not have; give a host path (/srv/data or ./data)", "Run 'caisson run --help'")]
    [InlineData("run with a bad name", "run --name -x busybox", "caisson: invalid container name \"-x\": use letters, digits, '_', '.' and '-', starting with a letter or digit", "Run 'caisson run --help'")]
    [InlineData("run with a relative workdir", "run -w tmp busybox", "caisson: -w tmp: the working directory must be an absolute path", "Run 'caisson run --help'")]
    [InlineData("run with a bad pull policy", "run --pull sometimes busybox", "caisson: unknown pull policy \"sometimes\": use missing, always or never", "Run 'caisson run --help'")]
    [InlineData("run with a group name", "run -u app:staff busybox", "caisson: -u app:staff: the group must be a numeric id; a group name cannot be passed to the runtime", "Run 'caisson run --help'")]
    [InlineData("run --entrypoint \"\" without a command", "run --entrypoint= busybox", "caisson: --entrypoint \"\" clears the image's entrypoint: give the command to run after IMAGE", "Run 'caisson run --help'")]
    [InlineData("exec -it", "exec -it web sh", "caisson: interactive exec (-i, -t) needs streaming, which caisson does not have yet; run a command without them: its output is printed when it ends", "Run 'caisson exec --help'")]
    [InlineData("exec without a command", "exec web", "caisson: \"caisson exec\" takes at least 2 arguments, got 1", "Run 'caisson exec --help'")]
    [InlineData("logs with a bad tail", "logs --tail many web", "caisson: --tail many: give a number of lines, or all", "Run 'caisson logs --help'")]
    [InlineData("stop with a bad time", "stop -t soon web", "caisson: --time: \"soon\" is not a number of seconds", "Run 'caisson stop --help'")]
    [InlineData("ps with a bad format", "ps -o yaml", "caisson: unknown output format \"yaml\": use table or json", "Run 'caisson ps --help'")]
    [InlineData("help for an unknown verb", "help imgs", "caisson: no help for unknown command \"imgs\"", "Run 'caisson --help'")]
    public async Task OneClearLineAndAPointerToHelpThenExit2(string description, string commandLine, string firstLine, string hint)
    {
        // No daemon: a usage error must be found before anything is sent.
        var result = await new CliHarness { SocketPath = "/nonexistent/caisson.sock" }.RunAsync(commandLine.Split(' '));

        Assert.True(result.ExitCode == 2, $"{description}: {result}");
        Assert.Equal(2, result.ErrorLines.Length);
        Assert.Equal(firstLine, result.ErrorLines[0]);
        Assert.StartsWith(hint, result.ErrorLines[1], StringComparison.Ordinal);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task ConfigDefaultPrintsTheDocumentedDefaultsWithoutADaemon()
    {
        var result = await new CliHarness { SocketPath = "/nonexistent/caisson.sock" }.RunAsync("config", "default");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(DefaultConfigToml.Render(new CaissonConfig()), result.Out);
        Assert.Equal("", result.Error);
    }
}
