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
