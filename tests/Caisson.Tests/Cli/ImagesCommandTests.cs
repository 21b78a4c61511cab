using System.Text.Json;
using Caisson.Api.V1;
using Caisson.Tests.Cli.Fakes;

namespace Caisson.Tests.Cli;

public sealed class ImagesCommandTests
{
    private static readonly string BusyboxId = "sha256:3f57d9401f8d" + new string('0', 52);
    private static readonly string PauseId = "sha256:873ed7510279" + new string('1', 52);
    private static readonly string OrphanId = "sha256:0123456789ab" + new string('2', 52);
    private static readonly string BusyboxDigest = "sha256:" + new string('d', 64);

    [Fact]
    public async Task TableHasOneRowPerNameNewestFirst()
    {
        await using var daemon = await StartWithImagesAsync();

        var result = await new CliHarness { SocketPath = daemon.SocketPath }.RunAsync("images");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            "REPOSITORY                  TAG      IMAGE ID       CREATED       SIZE\n" +
            "registry.k8s.io/pause       3.10     873ed7510279   2 hours ago   736kB\n" +
            "docker.io/library/busybox   1.36     3f57d9401f8d   3 days ago    4.26MB\n" +
            "docker.io/library/busybox   latest   3f57d9401f8d   3 days ago    4.26MB\n" +
            "<none>                      <none>   0123456789ab   N/A           1.5GB\n",
            result.Out);
        Assert.Equal("", daemon.State.LastListFilter);
    }

    [Fact]
    public async Task DigestsAndNoTruncAddTheDigestAndFullIds()
    {
        await using var daemon = await StartWithImagesAsync();

        var result = await new CliHarness { SocketPath = daemon.SocketPath }.RunAsync("images", "--digests", "--no-trunc");

        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("REPOSITORY                  TAG      DIGEST", lines[0], StringComparison.Ordinal);
        Assert.Contains($"   {BusyboxDigest}   {BusyboxId}   ", lines[2], StringComparison.Ordinal);
        Assert.Contains("   <none>   ", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuietPrintsEachIdOnceAndPassesTheFilter()
    {
        await using var daemon = await StartWithImagesAsync();

        var result = await new CliHarness { SocketPath = daemon.SocketPath }.RunAsync("images", "-q", "busybox");

        Assert.Equal("873ed7510279\n3f57d9401f8d\n0123456789ab\n", result.Out);
        Assert.Equal("busybox", daemon.State.LastListFilter);
    }

    [Fact]
    public async Task JsonHasFullDetails()
    {
        await using var daemon = await StartWithImagesAsync();

        var result = await new CliHarness { SocketPath = daemon.SocketPath }.RunAsync("images", "--output=json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        var images = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(3, images.Count);
        var busybox = images[1];
        Assert.Equal(BusyboxId, busybox.GetProperty("Id").GetString());
        Assert.Equal(["docker.io/library/busybox:1.36", "docker.io/library/busybox:latest"],
            busybox.GetProperty("RepoTags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal($"docker.io/library/busybox@{BusyboxDigest}", busybox.GetProperty("RepoDigests")[0].GetString());
        Assert.Equal(4_261_000, busybox.GetProperty("Size").GetInt64());
        Assert.Equal("2025-05-29T12:00:00Z", busybox.GetProperty("Created").GetString());
        Assert.Equal("linux/amd64", busybox.GetProperty("Platform").GetString());
        Assert.Equal(JsonValueKind.Null, images[2].GetProperty("Created").ValueKind);
    }

    [Fact]
    public async Task NoImagesPrintsHeadersOrAnEmptyArray()
    {
        await using var daemon = await FakeDaemon.StartAsync();
        var cli = new CliHarness { SocketPath = daemon.SocketPath };

        Assert.Equal("REPOSITORY   TAG   IMAGE ID   CREATED   SIZE\n", (await cli.RunAsync("images")).Out);
        Assert.Equal("[]\n", (await cli.RunAsync("images", "-o", "json")).Out);
    }

    private static async Task<FakeDaemon> StartWithImagesAsync()
    {
        var daemon = await FakeDaemon.StartAsync();
        daemon.State.Images.Add(new ImageSummary
        {
            Id = BusyboxId,
            RepoTags = { "docker.io/library/busybox:1.36", "docker.io/library/busybox:latest" },
            RepoDigests = { $"docker.io/library/busybox@{BusyboxDigest}" },
            Size = 4_261_000,
            Created = CliHarness.Now.AddDays(-3).ToUnixTimeSeconds(),
            Platform = "linux/amd64",
        });
        daemon.State.Images.Add(new ImageSummary { Id = OrphanId, Size = 1_500_000_000 });
        daemon.State.Images.Add(new ImageSummary
        {
            Id = PauseId,
            RepoTags = { "registry.k8s.io/pause:3.10" },
            Size = 736_000,
            Created = CliHarness.Now.AddHours(-2).ToUnixTimeSeconds(),
        });
        return daemon;
    }
}
