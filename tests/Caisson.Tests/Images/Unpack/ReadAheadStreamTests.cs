using Caisson.Images.Unpack;

namespace Caisson.Tests.Images.Unpack;

public sealed class ReadAheadStreamTests
{
    [Theory]
    [InlineData("source shorter than one chunk", 1000, 4096)]
    [InlineData("source an exact number of chunks", 4 * 4096, 4096)]
    [InlineData("source many chunks and a tail", 10 * 4096 + 17, 4096)]
    [InlineData("empty source", 0, 4096)]
    public async Task DeliversExactlyTheSourceBytes(string description, int size, int chunkSize)
    {
        Assert.NotEmpty(description);
        var data = new byte[size];
        new Random(size).NextBytes(data);
        await using var stream = new ReadAheadStream(new TricklingStream(new MemoryStream(data)), chunkSize, 3, CancellationToken.None);

        var copy = new MemoryStream();
        var buffer = new byte[777]; // deliberately not a divisor of the chunk size
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
            copy.Write(buffer, 0, read);

        Assert.Equal(data, copy.ToArray());
    }

    [Fact]
    public async Task ASourceFailureReachesTheReader()
    {
        await using var stream = new ReadAheadStream(new FailingStream(), 4096, 2, CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidDataException>(async () => await stream.ReadExactlyAsync(new byte[10]));
        Assert.Equal("corrupt", error.Message);
    }

    [Fact]
    public async Task DisposingWhileTheProducerWaitsForAFreeBufferDoesNotHang()
    {
        var stream = new ReadAheadStream(new MemoryStream(new byte[1 << 20]), 1024, 2, CancellationToken.None);
        await stream.ReadExactlyAsync(new byte[10]);

        var dispose = stream.DisposeAsync().AsTask();

        Assert.Same(dispose, await Task.WhenAny(dispose, Task.Delay(TimeSpan.FromSeconds(10))));
    }

    /// <summary>Returns at most 100 bytes per read, as decompressors often do.</summary>
    private sealed class TricklingStream(Stream inner) : MemoryStream
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer[..Math.Min(buffer.Length, 100)], cancellationToken);
    }

    private sealed class FailingStream : MemoryStream
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromException<int>(new InvalidDataException("corrupt"));
    }
}
