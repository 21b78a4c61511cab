using System.Text.Json;
using Caisson.Testing.Daemon;
using Caisson.Testing.Images;
using Caisson.Testing.Registry;

namespace Caisson.Tests.Cli;

/// <summary>The CLI against a real caissond and a real registry: what a person at a terminal would do.</summary>
[Trait("Category", "Integration")]
[Trait("Category", "Privileged")]
public sealed class CliAgainstDaemonTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    [Fact]
    public async Task PullListTagSaveRemoveLoadRoundTrip()
    {
        var image = TestImages.MultiLayer();
        var reference = await registry.PushAsync(image, "cli/multi:v1");
        await using var daemon = await DaemonFixture.StartAsync(DaemonConfig.For(registry));
        var cli = new CliHarness { SocketPath = daemon.SocketPath };

        var pull = await cli.RunAsync("pull", "--progress", "plain", reference);
        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.Contains(image.ConfigDigest.ToString(), pull.Out, StringComparison.Ordinal);

        Assert.Equal(0, (await cli.RunAsync("tag", reference, "localhost/renamed:v2")).ExitCode);
        var table = await cli.RunAsync("images");
        Assert.Equal(0, table.ExitCode);
        Assert.Matches($@"{System.Text.RegularExpressions.Regex.Escape(reference[..reference.LastIndexOf(':')])}\s+v1\s+{image.ConfigDigest.Hex[..12]}", table.Out);
        Assert.Matches($@"localhost/renamed\s+v2\s+{image.ConfigDigest.Hex[..12]}", table.Out);

        var json = await cli.RunAsync("images", "--output", "json");
        using (var document = JsonDocument.Parse(json.Out))
        {
            var only = Assert.Single(document.RootElement.EnumerateArray());
            Assert.Equal(image.ConfigDigest.ToString(), only.GetProperty("Id").GetString());
            Assert.Equal(2, only.GetProperty("RepoTags").GetArrayLength());
        }

        var archive = Path.Combine(daemon.Directory, "saved.tar");
        var save = await cli.RunAsync("save", "-o", archive, reference);
        Assert.True(save.ExitCode == 0, save.ToString());
        Assert.True(new FileInfo(archive).Length > 0);

        var rmi = await cli.RunAsync("rmi", "-f", reference);
        Assert.True(rmi.ExitCode == 0, rmi.ToString());
        Assert.Equal("[]", (await cli.RunAsync("images", "-o", "json")).Out.Replace("\n", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal));

        var load = await cli.RunAsync("load", "-i", archive);
        Assert.True(load.ExitCode == 0, load.ToString());
        Assert.Contains(reference, load.Out, StringComparison.Ordinal);
        var inspect = await cli.RunAsync("inspect", reference);
        Assert.Equal(0, inspect.ExitCode);
        using var inspected = JsonDocument.Parse(inspect.Out);
        Assert.Equal(image.ConfigDigest.ToString(), inspected.RootElement[0].GetProperty("Id").GetString());
    }

    [Fact]
    public async Task ErrorsAreOneLineAndNonZero()
    {
        await using var daemon = await DaemonFixture.StartAsync(DaemonConfig.For(registry));
        var cli = new CliHarness { SocketPath = daemon.SocketPath };

        var missing = await cli.RunAsync("pull", $"{registry.Host}/does/not:exist");
        Assert.Equal(1, missing.ExitCode);
        var line = Assert.Single(missing.ErrorLines);
        Assert.StartsWith("caisson: ", line, StringComparison.Ordinal);
        Assert.Contains("does/not", line, StringComparison.Ordinal);

        var invalid = await cli.RunAsync("pull", "Not//Valid");
        Assert.NotEqual(0, invalid.ExitCode);
        Assert.Contains("invalid image reference", invalid.Error, StringComparison.Ordinal);
    }
}
