using Caisson.Runtime.Driver;

namespace Caisson.Tests.Runtime.Driver;

public sealed class CappedOutputReaderTests
{
    [Theory]
    [InlineData("under the cap", 99, 100, 99, false)]
    [InlineData("exactly the cap", 100, 100, 100, false)]
    [InlineData("one past the cap", 101, 100, 100, true)]
    [InlineData("many reads past the cap", 1_000_000, 100, 100, true)]
    [InlineData("empty", 0, 100, 0, false)]
    public async Task Keeps_at_most_the_cap_and_reads_to_the_end(string description, int length, int cap, int kept, bool truncated)
    {
        var data = Enumerable.Range(0, length).Select(i => (byte)i).ToArray();
        using var source = new MemoryStream(data);
        var reader = CappedOutputReader.Start(source, cap);
        await reader.Completion;

        var (bytes, wasTruncated) = reader.Snapshot();
        Assert.True(bytes.Length == kept && wasTruncated == truncated, description);
        Assert.Equal(data.Take(kept), bytes);
        Assert.Equal(length, source.Position);
    }
}
