using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Caisson.Benchmarks;

/// <summary>
/// The least work any pull of these blobs must do on one core: hash the compressed bytes, inflate them, hash the
/// tar. No network, no disk writes. Reads the blobs from disk (page cache) first so I/O is not measured.
/// </summary>
public static class PullFloor
{
    public static int Run(string[] blobs)
    {
        var data = blobs.Select(File.ReadAllBytes).ToArray();
        var best = double.MaxValue;
        long inflated = 0;
        for (var run = 0; run < 3; run++)
        {
            var watch = Stopwatch.StartNew();
            inflated = 0;
            foreach (var blob in data)
            {
                SHA256.HashData(blob);
                using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                using var gzip = new GZipStream(new MemoryStream(blob), CompressionMode.Decompress);
                var buffer = new byte[1 << 20];
                int read;
                while ((read = gzip.Read(buffer)) > 0)
                {
                    sha.AppendData(buffer, 0, read);
                    inflated += read;
                }
            }

            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }

        Console.WriteLine($"floor_seconds={best:F3} compressed_bytes={data.Sum(d => (long)d.Length)} inflated_bytes={inflated}");
        return 0;
    }
}
