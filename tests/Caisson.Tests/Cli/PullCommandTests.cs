using System.Text;
using Caisson.Api.V1;
using Caisson.Tests.Cli.Fakes;

namespace Caisson.Tests.Cli;

public sealed class PullCommandTests
{
    private static readonly string Layer = "sha256:" + new string('a', 64);
    private static readonly string ImageId = "sha256:" + new string('1', 64);
    private static readonly string ManifestDigest = "sha256:" + new string('2', 64);

    [Fact]
    public async Task PlainProgressThenImageIdAndDigest()
    {
        await using var daemon = await StartWithPullAsync();

        var result = await new CliHarness { SocketPath = daemon.SocketPath }.RunAsync("pull", "--platform", "linux/arm64/v8", "busybox");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            "aaaaaaaaaaaa: downloading (2MB)\n" +
            "aaaaaaaaaaaa: done (2MB)\n" +
            "downloaded 2MB in 0.0s (-)\n" +
            "Pulled: docker.io/library/busybox:latest\n" +
            $"Image ID: {ImageId}\n" +
            $"Digest: {ManifestDigest}\n",
            result.Out);
        Assert.Equal("busybox", daemon.State.LastPull!.Reference);
        Assert.Equal("linux/arm64/v8", daemon.State.LastPull.Platform);
        Assert.Null(daemon.State.LastPull.Auth);
    }

    [Fact]
    public async Task OnATerminalProgressIsDrawnInPlace()
    {
        await using var daemon = await StartWithPullAsync();

        var result = await new CliHarness { SocketPath = daemon.SocketPath, OutputIsTerminal = true }.RunAsync("pull", "busybox");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("\u001b[2A", result.Out, StringComparison.Ordinal);
        Assert.Contains("[==============================]  2MB / 2MB          done", result.Out, StringComparison.Ordinal);
        Assert.EndsWith($"Image ID: {ImageId}\nDigest: {ManifestDigest}\n", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuietPrintsOnlyTheImageId()
    {
        await using var daemon = await StartWithPullAsync();

        var result = await new CliHarness { SocketPath = daemon.SocketPath, OutputIsTerminal = true }.RunAsync("pull", "-q", "busybox");

        Assert.Equal($"{ImageId}\n", result.Out);
    }

    [Theory]
    [InlineData("password in --user", new[] { "-u", "robot:s3cret:x" }, "", "s3cret:x")]
    [InlineData("password from stdin, newline dropped", new[] { "--user=robot", "--password-stdin" }, "t0ken\n", "t0ken")]
    public async Task CredentialsReachTheDaemon(string description, string[] flags, string stdin, string expectedPassword)
    {
        await using var daemon = await StartWithPullAsync();

        var result = await new CliHarness { SocketPath = daemon.SocketPath, Input = Encoding.UTF8.GetBytes(stdin) }
            .RunAsync(["pull", .. flags, "registry.example.com/team/app:1.2"]);

        Assert.True(result.ExitCode == 0, $"{description}: {result}");
        Assert.Equal("robot", daemon.State.LastPull!.Auth.Username);
        Assert.Equal(expectedPassword, daemon.State.LastPull.Auth.Password);
    }

    [Fact]
    public async Task AStreamThatEndsWithoutTheImageIsAnError()
    {
        await using var daemon = await FakeDaemon.StartAsync();
        daemon.State.PullMessages.Add(new PullProgress { Layers = { new LayerProgress { Digest = Layer, Size = 10, State = "downloading" } } });

        var result = await new CliHarness { SocketPath = daemon.SocketPath }.RunAsync("pull", "busybox");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("caisson: pull busybox: the daemon ended the stream before reporting the image\n", result.Error);
    }

    [Fact]
    public async Task CtrlCCancelsTheCallAndExits130()
    {
        await using var daemon = await FakeDaemon.StartAsync();
        daemon.State.PullMessages.Add(new PullProgress { Layers = { new LayerProgress { Digest = Layer, Size = 10, State = "downloading" } } });
        daemon.State.PullWaitsForCancel = true;
        using var interrupt = new CancellationTokenSource();

        var run = new CliHarness { SocketPath = daemon.SocketPath }.RunAsync(interrupt.Token, "pull", "busybox");
        await daemon.State.PullMessagesSent.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await interrupt.CancelAsync();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(130, result.ExitCode);
        Assert.Equal("caisson: canceled\n", result.Error);
        await daemon.State.PullCanceled.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static async Task<FakeDaemon> StartWithPullAsync()
    {
        var daemon = await FakeDaemon.StartAsync();
        daemon.State.PullMessages.Add(new PullProgress { Layers = { new LayerProgress { Digest = Layer, Size = 2_000_000, Downloaded = 0, State = "downloading" } } });
        daemon.State.PullMessages.Add(new PullProgress { Layers = { new LayerProgress { Digest = Layer, Size = 2_000_000, Downloaded = 1_000_000, State = "downloading" } } });
        daemon.State.PullMessages.Add(new PullProgress { Layers = { new LayerProgress { Digest = Layer, Size = 2_000_000, Downloaded = 2_000_000, State = "done" } } });
        daemon.State.PullMessages.Add(new PullProgress
        {
            Reference = "docker.io/library/busybox:latest",
            ImageId = ImageId,
            ManifestDigest = ManifestDigest,
            Done = true,
        });
        return daemon;
    }
}
