using System.Diagnostics;
using System.IO.Compression;
using Caisson.Core.Oci;
using Caisson.Images.Unpack;

namespace Caisson.Tests.Images.Unpack;

[CollectionDefinition(nameof(MemoryMeasuringCollection), DisableParallelization = true)]
public sealed class MemoryMeasuringCollection;

/// <summary>
/// A ~20 MB gzip blob that expands to a tar holding one 20 GiB file of zeros: the unpack must stream it in
/// bounded memory and stop promptly when canceled.
/// </summary>
[Trait("Category", "Privileged")]
[Collection(nameof(MemoryMeasuringCollection))]
public sealed class GzipBombTests
{
    private const long BombSize = 20L << 30;
    private const int ZeroChunk = 64 << 20;

    [Fact]
    public async Task TwentyGibibytesOfZerosStreamInBoundedMemoryAndStopWhenCanceled()
    {
        var blob = BuildBomb(BombSize);
        using var scratch = new UnpackScratch();
        using var cancellation = new CancellationTokenSource();
        GC.Collect();
        ResetPeakResidentSet();
        var residentBefore = StatusKilobytes("VmRSS");
        var clock = Stopwatch.StartNew();
        cancellation.CancelAfter(TimeSpan.FromSeconds(1.5));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.Run(() => LayerUnpacker.UnpackAsync(
            new MemoryStream(blob), LayerCompression.Gzip, scratch.Root, WhiteoutMode.Overlay, cancellation.Token)));

        var stoppedAfter = clock.Elapsed;
        var peakGrowthMegabytes = (StatusKilobytes("VmHWM") - residentBefore) / 1024;
        var written = new FileInfo(scratch["bomb"]).Length;
        Assert.True(stoppedAfter < TimeSpan.FromSeconds(4), $"the unpack took {stoppedAfter} to notice the cancellation");
        Assert.True(peakGrowthMegabytes < 200, $"peak resident set grew by {peakGrowthMegabytes} MB");
        Assert.InRange(written, 1, BombSize - 1);
    }

    /// <summary>
    /// A tar of one file named "bomb" of <paramref name="size"/> zero bytes, as concatenated gzip members (one stream
    /// to a gzip reader): the header, then one member of zeros repeated.
    /// </summary>
    internal static byte[] BuildBomb(long size)
    {
        var header = new TarBuilder().Header(new TarHeader { Name = "bomb"u8.ToArray(), Size = size }).Build(endOfArchive: false);
        var zeros = Gzip(new byte[ZeroChunk]);
        var output = new MemoryStream();
        output.Write(Gzip(header));
        for (var written = 0L; written < size; written += ZeroChunk)
            output.Write(zeros);
        return output.ToArray();
    }

    private static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
            gzip.Write(data);
        return output.ToArray();
    }

    /// <summary>Writing 5 to clear_refs resets VmHWM to the current resident set (Linux 4.0+).</summary>
    private static void ResetPeakResidentSet() => File.WriteAllText("/proc/self/clear_refs", "5");

    private static long StatusKilobytes(string field)
    {
        var line = File.ReadLines("/proc/self/status").Single(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}
