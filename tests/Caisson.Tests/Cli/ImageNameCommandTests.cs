using System.Text.Json;
using Caisson.Api.V1;
using Caisson.Tests.Cli.Fakes;

namespace Caisson.Tests.Cli;

/// <summary>rmi, tag and inspect: the verbs that take image names and ask the daemon about each.</summary>
public sealed class ImageNameCommandTests
{
    private static readonly string ImageId = "sha256:" + new string('7', 64);

    [Fact]
    public async Task RmiReportsEachFailureOnOneLineGoesOnAndExits1()
    {
        await using var daemon = await FakeDaemon.StartAsync();
        daemon.State.Removals["busybox"] = new RemoveResponse { Untagged = { "docker.io/library/busybox:latest" }, Deleted = { ImageId } };
        daemon.State.Removals["alpine"] = new RemoveResponse { Untagged = { "docker.io/library/alpine:latest" } };

        var result = await new CliHarness { SocketPath = daemon.SocketPath }.RunAsync("rmi", "-f", "busybox", "nope", "alpine");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            "Untagged: docker.io/library/busybox:latest\n" +
            $"Deleted: {ImageId}\n" +
            "Untagged: docker.io/library/alpine:latest\n",
            result.Out);
        Assert.Equal("caisson: image \"nope\": not found\n", result.Error);
        Assert.Equal(["busybox", "nope", "alpine"], daemon.State.RemoveRequests.Select(r => r.Reference));
        Assert.All(daemon.State.RemoveRequests, r => Assert.True(r.Force));
    }

    [Fact]
    public async Task RmiSucceedsWithExit0WhenAllAreRemoved()
    {
        await using var daemon = await FakeDaemon.StartAsync();
        daemon.State.Removals["busybox"] = new RemoveResponse { Untagged = { "docker.io/library/busybox:latest" } };

        var result = await new CliHarness { SocketPath = daemon.SocketPath }.RunAsync("rmi", "busybox");

        Assert.Equal(0, result.ExitCode);
        Assert.False(daemon.State.RemoveRequests.Single().Force);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public async Task TagSendsSourceAndTarget()
    {
        await using var daemon = await FakeDaemon.StartAsync();

        var result = await new CliHarness { SocketPath = daemon.SocketPath }.RunAsync("tag", "busybox", "localhost:5000/tools/busybox:stable");

        Assert.Equal(0, result.ExitCode);
        var request = daemon.State.TagRequests.Single();
        Assert.Equal(("busybox", "localhost:5000/tools/busybox:stable"), (request.Source, request.Target));
    }

    [Fact]
    public async Task InspectEmbedsManifestAndConfigAsObjects()
    {
        await using var daemon = await FakeDaemon.StartAsync();
        daemon.State.Inspections["busybox"] = new InspectResponse
        {
            Summary = new ImageSummary { Id = ImageId, RepoTags = { "docker.io/library/busybox:latest" }, Size = 42, Created = 1_700_000_000, Platform = "linux/amd64" },
            ManifestJson = """{"schemaVersion":2,"layers":[{"digest":"sha256:aa","size":3}]}""",
            ConfigJson = """{"architecture":"amd64","config":{"Entrypoint":["sh"]}}""",
            ManifestDigest = "sha256:" + new string('m', 64),
            ChainIds = { "sha256:c1" },
        };

        var result = await new CliHarness { SocketPath = daemon.SocketPath }.RunAsync("inspect", "busybox");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        var image = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal(ImageId, image.GetProperty("Id").GetString());
        Assert.Equal("docker.io/library/busybox:latest", image.GetProperty("RepoTags")[0].GetString());
        Assert.Equal(42, image.GetProperty("Size").GetInt64());
        Assert.Equal("2023-11-14T22:13:20Z", image.GetProperty("Created").GetString());
        Assert.Equal("linux/amd64", image.GetProperty("Platform").GetString());
        Assert.Equal(2, image.GetProperty("Manifest").GetProperty("schemaVersion").GetInt32());
        Assert.Equal(3, image.GetProperty("Manifest").GetProperty("layers")[0].GetProperty("size").GetInt32());
        Assert.Equal("sh", image.GetProperty("Config").GetProperty("config").GetProperty("Entrypoint")[0].GetString());
        Assert.Equal("sha256:c1", image.GetProperty("ChainIds")[0].GetString());
    }

    [Fact]
    public async Task InspectPrintsWhatItFoundReportsTheRestAndExits1()
    {
        await using var daemon = await FakeDaemon.StartAsync();
        daemon.State.Inspections["busybox"] = new InspectResponse
        {
            Summary = new ImageSummary { Id = ImageId },
            ManifestJson = "{not json",
        };

        var result = await new CliHarness { SocketPath = daemon.SocketPath }.RunAsync("inspect", "nope", "busybox");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("caisson: image \"nope\": not found\n", result.Error);
        using var json = JsonDocument.Parse(result.Out);
        var image = Assert.Single(json.RootElement.EnumerateArray());
        // A malformed document from the daemon is passed on as a string rather than breaking the output.
        Assert.Equal("{not json", image.GetProperty("Manifest").GetString());
        Assert.Equal(JsonValueKind.Null, image.GetProperty("Config").ValueKind);
    }
}
