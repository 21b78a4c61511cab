using System.Diagnostics;
using Caisson.Api.Cri;
using Caisson.Testing.Daemon;
using Grpc.Core;

namespace Caisson.Tests.Daemon;

[Trait("Category", "Integration")]
public sealed class DaemonLifecycleTests
{
    [Fact]
    public async Task AnswersVersionAndEmptyImageQueries()
    {
        await using var daemon = await DaemonFixture.StartAsync();

        var version = await daemon.Runtime.VersionAsync(new VersionRequest { Version = "0.1.0" });
        Assert.Equal("caisson", version.RuntimeName);
        Assert.Equal("v1", version.RuntimeApiVersion);

        var images = await daemon.Images.ListImagesAsync(new ListImagesRequest());
        Assert.Empty(images.Images);

        var status = await daemon.Images.ImageStatusAsync(new ImageStatusRequest { Image = new ImageSpec { Image = "busybox" } });
        Assert.Null(status.Image);

        // Removing what is not there succeeds, as kubelet expects.
        await daemon.Images.RemoveImageAsync(new RemoveImageRequest { Image = new ImageSpec { Image = "busybox" } });

        var fs = await daemon.Images.ImageFsInfoAsync(new ImageFsInfoRequest());
        var usage = Assert.Single(fs.ImageFilesystems);
        Assert.StartsWith(daemon.Root, usage.FsId.Mountpoint, StringComparison.Ordinal);
        Assert.True(usage.Timestamp > 0);
    }

    [Fact]
    public async Task AnswersAClientThatSendsTheSocketPathAsAuthority()
    {
        await using var daemon = await DaemonFixture.StartAsync();
        await using var client = await Http2.Support.RawHttp2Client.ConnectAsync(daemon.SocketPath);

        var result = await client.CallAsync(1, Http2.AuthorityNormalizationEndToEndTests.GrpcGoRequest(daemon.SocketPath),
            Google.Protobuf.MessageExtensions.ToByteArray(new VersionRequest { Version = "0.1.0" }));

        Assert.Null(result.ResetCode);
        Assert.Equal("0", result.Header(1, "grpc-status"));
        Assert.Equal("caisson", Http2.AuthorityNormalizationEndToEndTests.ParseGrpcMessage(result.Data).RuntimeName);
    }

    [Fact]
    public async Task RefusesEmptyPullWithInvalidArgument()
    {
        await using var daemon = await DaemonFixture.StartAsync();
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await daemon.Images.PullImageAsync(new PullImageRequest { Image = new ImageSpec { Image = "" } }));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("image.image is empty", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SocketIsRootOnly()
    {
        await using var daemon = await DaemonFixture.StartAsync();
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite,
            File.GetUnixFileMode(daemon.SocketPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(daemon.State));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(daemon.Root));
    }

    [Fact]
    public async Task SecondDaemonOnTheSameRootIsRefused()
    {
        await using var daemon = await DaemonFixture.StartAsync();
        var (exit, output) = await RunDaemonAsync("--root", daemon.Root, "--state", Path.Combine(daemon.Directory, "state2"));
        Assert.Equal(1, exit);
        Assert.Contains("another caissond is using", output, StringComparison.Ordinal);

        // The first one still answers.
        var version = await daemon.Runtime.VersionAsync(new VersionRequest());
        Assert.Equal("caisson", version.RuntimeName);
    }

    [Fact]
    public async Task BadConfigFailsStartWithTheKeyNamed()
    {
        var dir = Directory.CreateTempSubdirectory("caisson-badconfig-").FullName;
        try
        {
            var config = Path.Combine(dir, "config.toml");
            await File.WriteAllTextAsync(config, "[images]\nsnapshoter = \"native\"\n");
            var (exit, output) = await RunDaemonAsync("--config", config, "--root", Path.Combine(dir, "r"), "--state", Path.Combine(dir, "s"));
            Assert.Equal(1, exit);
            Assert.Contains("unknown key \"images.snapshoter\"", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<(int Exit, string Output)> RunDaemonAsync(params string[] args)
    {
        var start = new ProcessStartInfo(await Caisson.Testing.Processes.PublishedExecutable.DaemonAsync()) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
