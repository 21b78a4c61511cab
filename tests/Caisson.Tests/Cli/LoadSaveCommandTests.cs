using Caisson.Api.V1;
using Caisson.Cli.Commands;
using Caisson.Tests.Cli.Fakes;
using Grpc.Core;

namespace Caisson.Tests.Cli;

public sealed class LoadSaveCommandTests
{
    [Fact]
    public async Task LoadStreamsTheWholeFileInChunksOfAtMostOneMebibyte()
    {
        await using var daemon = await FakeDaemon.StartAsync();
        daemon.State.LoadResponse = new LoadResponse { Loaded = { "docker.io/library/busybox:latest", "sha256:" + new string('e', 64) } };
        var archive = RandomBytes(2 * LoadCommand.ChunkBytes + 12345);
        var path = Path.Combine(daemon.Directory, "images.tar");
        await File.WriteAllBytesAsync(path, archive);

        var result = await new CliHarness { SocketPath = daemon.SocketPath }.RunAsync("load", "-i", path);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(archive, daemon.State.LoadedBytes.ToArray());
        Assert.Equal([LoadCommand.ChunkBytes, LoadCommand.ChunkBytes, 12345], daemon.State.LoadChunkSizes);
        Assert.Equal(
            "Loaded image: docker.io/library/busybox:latest\n" +
            $"Loaded image ID: sha256:{new string('e', 64)}\n",
            result.Out);
    }

    [Theory]
    [InlineData("no -i")]
    [InlineData("-i -")]
    public async Task LoadReadsStandardInput(string flags)
    {
        await using var daemon = await FakeDaemon.StartAsync();
        var archive = RandomBytes(300_000);
        var args = flags == "no -i" ? new[] { "load" } : ["load", .. flags.Split(' ')];

        var result = await new CliHarness { SocketPath = daemon.SocketPath, Input = archive }.RunAsync(args);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(archive, daemon.State.LoadedBytes.ToArray());
    }

    [Fact]
    public async Task LoadRefusesToReadATerminal()
    {
        await using var daemon = await FakeDaemon.StartAsync();

        var result = await new CliHarness { SocketPath = daemon.SocketPath, InputIsTerminal = true }.RunAsync("load");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("caisson: refusing to read an image archive from a terminal", result.Error, StringComparison.Ordinal);
        Assert.Empty(daemon.State.LoadChunkSizes);
    }

    [Fact]
    public async Task LoadReportsTheDaemonsReasonWhenItStopsTheStream()
    {
        await using var daemon = await FakeDaemon.StartAsync();
        daemon.State.LoadFailure = new Status(StatusCode.InvalidArgument, "archive: no manifest.json or index.json");
        var path = Path.Combine(daemon.Directory, "bad.tar");
        await File.WriteAllBytesAsync(path, RandomBytes(8 * LoadCommand.ChunkBytes));

        var result = await new CliHarness { SocketPath = daemon.SocketPath }.RunAsync("load", "-i", path);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("caisson: archive: no manifest.json or index.json\n", result.Error);
    }

    [Fact]
    public async Task LoadOfAMissingFileNamesTheFile()
    {
        var result = await new CliHarness { SocketPath = "/nonexistent/caisson.sock" }.RunAsync("load", "-i", "/nonexistent/images.tar");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("caisson: cannot read /nonexistent/images.tar: ", result.Error, StringComparison.Ordinal);
        Assert.Single(result.ErrorLines);
    }

    [Fact]
    public async Task SaveWritesWhatTheDaemonStreamsToTheFile()
    {
        await using var daemon = await FakeDaemon.StartAsync();
        var chunks = new[] { RandomBytes(1000), RandomBytes(3 * 1024 * 1024), RandomBytes(1) };
        daemon.State.SaveChunks.AddRange(chunks);
        var path = Path.Combine(daemon.Directory, "out.tar");

        var result = await new CliHarness { SocketPath = daemon.SocketPath }.RunAsync("save", "-o", path, "busybox", "alpine");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(chunks.SelectMany(c => c).ToArray(), await File.ReadAllBytesAsync(path));
        Assert.Equal(["busybox", "alpine"], daemon.State.SavedReferences);
        Assert.Equal(["caisson.sock", "out.tar"], Directory.GetFiles(daemon.Directory).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task SaveThatFailsLeavesNoFileBehind()
    {
        await using var daemon = await FakeDaemon.StartAsync();
        daemon.State.SaveChunks.Add(RandomBytes(5000));
        daemon.State.SaveFailure = new Status(StatusCode.NotFound, "image \"alpine\": not found");
        var path = Path.Combine(daemon.Directory, "out.tar");

        var result = await new CliHarness { SocketPath = daemon.SocketPath }.RunAsync("save", "-o", path, "busybox", "alpine");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("caisson: image \"alpine\": not found\n", result.Error);
        Assert.Equal(["caisson.sock"], Directory.GetFiles(daemon.Directory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task SaveWritesToStandardOutputWhenItIsNotATerminal()
    {
        await using var daemon = await FakeDaemon.StartAsync();
        var archive = RandomBytes(70_000);
        daemon.State.SaveChunks.Add(archive);

        var result = await new CliHarness { SocketPath = daemon.SocketPath }.RunAsync("save", "busybox");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(archive, result.OutputBytes);
    }

    [Fact]
    public async Task SaveRefusesToWriteBinaryToATerminal()
    {
        await using var daemon = await FakeDaemon.StartAsync();
        daemon.State.SaveChunks.Add(RandomBytes(10));

        var result = await new CliHarness { SocketPath = daemon.SocketPath, OutputIsTerminal = true }.RunAsync("save", "busybox");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("caisson: refusing to write an image archive to a terminal", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.OutputBytes);
        Assert.Empty(daemon.State.SavedReferences);
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }
}
