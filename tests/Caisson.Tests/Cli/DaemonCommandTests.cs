using System.Net.Sockets;
using System.Text.Json;
using Caisson.Api.Cri;
using Caisson.Api.V1;
using Caisson.Cli.Commands;
using Caisson.Tests.Cli.Fakes;

namespace Caisson.Tests.Cli;

/// <summary>info and version, and how the CLI finds the daemon and says when it is not there.</summary>
public sealed class DaemonCommandTests
{
    [Fact]
    public async Task InfoPrintsAReadableBlock()
    {
        await using var daemon = await StartAsync();

        var result = await new CliHarness { SocketPath = daemon.SocketPath }.RunAsync("info");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            "Server Version:   0.1.0\n" +
            "Root Dir:         /var/lib/caisson\n" +
            "State Dir:        /run/caisson\n" +
            "Socket:           /run/caisson/caisson.sock\n" +
            "Snapshotter:      overlayfs\n" +
            "Default Runtime:  runc\n" +
            "Cgroup Version:   2\n" +
            "Kernel Version:   6.1.0\n" +
            "Images:           3\n" +
            "Content Size:     12.3MB\n",
            result.Out);
    }

    [Fact]
    public async Task InfoAsJson()
    {
        await using var daemon = await StartAsync();

        var result = await new CliHarness { SocketPath = daemon.SocketPath }.RunAsync("info", "-o", "json");

        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal("overlayfs", json.RootElement.GetProperty("Snapshotter").GetString());
        Assert.Equal(12_300_000, json.RootElement.GetProperty("ContentBytes").GetInt64());
        Assert.Equal(3, json.RootElement.GetProperty("Images").GetInt64());
    }

    [Fact]
    public async Task VersionPrintsClientAndServer()
    {
        await using var daemon = await StartAsync();

        var result = await new CliHarness { SocketPath = daemon.SocketPath }.RunAsync("version");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith($"Client:\n Version:  {VersionCommand.ClientVersion}\n", result.Out, StringComparison.Ordinal);
        Assert.EndsWith(
            "Server:\n" +
            " Runtime:      caisson\n" +
            " Version:      0.1.0\n" +
            " API version:  v1\n",
            result.Out);
    }

    [Fact]
    public async Task VersionAsJson()
    {
        await using var daemon = await StartAsync();

        var result = await new CliHarness { SocketPath = daemon.SocketPath }.RunAsync("version", "--output", "json");

        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal(VersionCommand.ClientVersion, json.RootElement.GetProperty("Client").GetProperty("Version").GetString());
        Assert.Equal("caisson", json.RootElement.GetProperty("Server").GetProperty("RuntimeName").GetString());
    }

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public async Task VersionPrintsTheClientPartEvenWhenTheDaemonIsDown(string format)
    {
        var socket = Path.Combine(Path.GetTempPath(), $"caisson-missing-{Guid.NewGuid():N}.sock");

        var result = await new CliHarness { SocketPath = socket }.RunAsync("version", "-o", format);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(VersionCommand.ClientVersion, result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Server:", result.Out, StringComparison.Ordinal);
        Assert.Single(result.ErrorLines);
        Assert.Contains(socket, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DaemonDownSaysWhichSocketAndToCheckCaissond()
    {
        var socket = Path.Combine(Path.GetTempPath(), $"caisson-missing-{Guid.NewGuid():N}.sock");

        var result = await new CliHarness { SocketPath = socket }.RunAsync("images");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            $"caisson: cannot connect to caissond: socket {socket} does not exist; "
            + "check that caissond is running (systemctl status caissond) or pass --address\n",
            result.Error);
    }

    [Fact]
    public async Task AStaleSocketThatNobodyListensOnIsConnectionRefused()
    {
        var directory = Directory.CreateTempSubdirectory("caisson-cli-").FullName;
        try
        {
            var socket = Path.Combine(directory, "caisson.sock");
            // Bound but never listening: the file is there and connecting is refused, as after a daemon crash.
            using var bound = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            bound.Bind(new UnixDomainSocketEndPoint(socket));

            var result = await new CliHarness { SocketPath = socket }.RunAsync("images");

            Assert.Equal(1, result.ExitCode);
            Assert.StartsWith($"caisson: cannot connect to caissond at {socket}: connection refused", result.Error, StringComparison.Ordinal);
            Assert.Contains("check that caissond is running", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("flag before the verb", true)]
    [InlineData("flag after the verb, crictl's unix:// form", false)]
    public async Task AddressFlagWinsOverTheEnvironment(string description, bool before)
    {
        await using var daemon = await StartAsync();
        var cli = new CliHarness { SocketPath = "/nonexistent/caisson.sock" };
        string[] args = before ? ["--address", daemon.SocketPath, "info"] : ["info", $"--address=unix://{daemon.SocketPath}"];

        var result = await cli.RunAsync(args);

        Assert.True(result.ExitCode == 0, $"{description}: {result}");
    }

    private static async Task<FakeDaemon> StartAsync()
    {
        var daemon = await FakeDaemon.StartAsync();
        daemon.State.Info = new InfoResponse
        {
            Version = "0.1.0",
            Root = "/var/lib/caisson",
            State = "/run/caisson",
            Socket = "/run/caisson/caisson.sock",
            Snapshotter = "overlayfs",
            Images = 3,
            ContentBytes = 12_300_000,
            CgroupVersion = "2",
            DefaultRuntime = "runc",
            Kernel = "6.1.0",
        };
        daemon.State.Version = new VersionResponse { Version = "0.1.0", RuntimeName = "caisson", RuntimeVersion = "0.1.0", RuntimeApiVersion = "v1" };
        return daemon;
    }
}
