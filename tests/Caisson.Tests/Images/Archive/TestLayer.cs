using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Caisson.Core.Digests;

namespace Caisson.Tests.Images.Archive;

/// <summary>A small layer built in memory: a tar of a few text files, and its gzip form.</summary>
internal sealed class TestLayer
{
    private TestLayer(byte[] tar)
    {
        Tar = tar;
        DiffId = Digest.Sha256Of(tar);
        Gzip = Compress(tar);
    }

    public byte[] Tar { get; }

    public byte[] Gzip { get; }

    public Digest DiffId { get; }

    public IReadOnlyDictionary<string, string> Files { get; private init; } = new Dictionary<string, string>();

    public static TestLayer Create(params (string Path, string Content)[] files)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Ustar, leaveOpen: true))
        {
            var directories = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (path, content) in files)
            {
                var parent = Path.GetDirectoryName(path);
                if (!string.IsNullOrEmpty(parent) && directories.Add(parent))
                    writer.WriteEntry(new UstarTarEntry(TarEntryType.Directory, parent + "/") { Mode = (UnixFileMode)0b111_101_101, ModificationTime = DateTimeOffset.UnixEpoch });
                var entry = new UstarTarEntry(TarEntryType.RegularFile, path)
                {
                    Mode = (UnixFileMode)0b110_100_100,
                    ModificationTime = DateTimeOffset.UnixEpoch,
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
                };
                writer.WriteEntry(entry);
            }
        }

        return new TestLayer(buffer.ToArray()) { Files = files.ToDictionary(f => f.Path, f => f.Content) };
    }

    private static byte[] Compress(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(data);
        return buffer.ToArray();
    }
}
