using Caisson.Core.Errors;
using Caisson.Core.Oci;
using Caisson.Images.Distribution;

namespace Caisson.Tests.Images.Distribution;

public sealed class PlatformSelectionTests
{
    /// <summary>Entries are "os/arch[/variant]" (or "-" for an entry without platform); the expected pick is an index.</summary>
    [Theory]
    [InlineData("amd64 among several", "linux/amd64", new[] { "linux/arm64", "linux/amd64", "linux/arm/v7" }, 1)]
    [InlineData("arm64 wanted as v8, entry without variant", "linux/arm64/v8", new[] { "linux/amd64", "linux/arm64" }, 1)]
    [InlineData("arm64 wanted without variant, entry says v8", "linux/arm64", new[] { "linux/arm64/v8" }, 0)]
    [InlineData("arm v7 exact beats v6", "linux/arm/v7", new[] { "linux/arm/v6", "linux/arm/v7" }, 1)]
    [InlineData("arm v7 exact beats an entry without variant", "linux/arm/v7", new[] { "linux/arm", "linux/arm/v7" }, 1)]
    [InlineData("arm v7 runs an entry without variant", "linux/arm/v7", new[] { "linux/amd64", "linux/arm" }, 1)]
    [InlineData("arm v7 falls back to the newest older variant", "linux/arm/v7", new[] { "linux/arm/v5", "linux/arm/v6" }, 1)]
    [InlineData("first of equals wins", "linux/amd64", new[] { "linux/amd64", "linux/amd64" }, 0)]
    [InlineData("attestation entries are passed over", "linux/amd64", new[] { "unknown/unknown", "linux/amd64" }, 1)]
    [InlineData("entries without platform are passed over", "linux/amd64", new[] { "-", "linux/amd64" }, 1)]
    public void Selects_the_best_entry(string description, string wanted, string[] entries, int expected)
    {
        var index = Index(entries);

        var chosen = RegistryClient.SelectPlatform(index, Platform.Parse(wanted));

        Assert.True(ReferenceEquals(index.Manifests[expected], chosen), $"{description}: got {chosen.Platform}");
    }

    [Theory]
    [InlineData("arm v6 cannot run v7", "linux/arm/v6", new[] { "linux/arm/v7", "linux/arm64" })]
    [InlineData("no such architecture", "linux/s390x", new[] { "linux/amd64", "linux/arm64/v8" })]
    [InlineData("other OS", "linux/amd64", new[] { "windows/amd64" })]
    [InlineData("empty index", "linux/amd64", new string[0])]
    public void No_match_is_not_found_and_lists_what_there_is(string description, string wanted, string[] entries)
    {
        var error = Assert.Throws<NotFoundException>(() => RegistryClient.SelectPlatform(Index(entries), Platform.Parse(wanted)));

        Assert.Contains(Platform.Parse(wanted).ToString(), error.Message);
        foreach (var entry in entries)
            Assert.True(error.Message.Contains(entry, StringComparison.Ordinal), $"{description}: {error.Message} lacks {entry}");
    }

    private static ImageIndex Index(string[] entries) => new()
    {
        SchemaVersion = 2,
        MediaType = MediaTypes.OciIndex,
        Manifests = entries.Select((entry, i) => new Descriptor
        {
            MediaType = MediaTypes.OciManifest,
            Digest = "sha256:" + i.ToString("x64", null),
            Size = 100 + i,
            Platform = entry == "-" ? null : ParseLoosely(entry),
        }).ToList(),
    };

    private static Platform ParseLoosely(string entry)
    {
        var parts = entry.Split('/');
        return new Platform { OS = parts[0], Architecture = parts[1], Variant = parts.Length > 2 ? parts[2] : null };
    }
}
