using System.Formats.Tar;
using System.Text.Json;
using Caisson.Core.Digests;
using Caisson.Core.Oci;

namespace Caisson.Tests.Images.Archive;

/// <summary>A tar read back into memory and checked for what every image archive needs: unique names, files and directories only.</summary>
internal sealed class SavedArchive
{
    private SavedArchive(Dictionary<string, byte[]> files, List<string> directories)
    {
        Files = files;
        Directories = directories;
    }

    public IReadOnlyDictionary<string, byte[]> Files { get; }

    public IReadOnlyList<string> Directories { get; }

    public static SavedArchive Read(byte[] tar)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var directories = new List<string>();
        using var reader = new TarReader(new MemoryStream(tar));
        while (reader.GetNextEntry(copyData: true) is { } entry)
        {
            Assert.False(entry.Name.StartsWith('/') || entry.Name.Split('/').Contains(".."), $"unsafe entry name {entry.Name}");
            if (entry.EntryType == TarEntryType.Directory)
            {
                directories.Add(entry.Name);
                continue;
            }

            Assert.True(entry.EntryType is TarEntryType.RegularFile, $"{entry.Name} is a {entry.EntryType}");
            using var content = new MemoryStream();
            entry.DataStream?.CopyTo(content);
            Assert.True(files.TryAdd(entry.Name, content.ToArray()), $"{entry.Name} is in the archive twice");
        }

        return new SavedArchive(files, directories);
    }

    public JsonElement Json(string name) => JsonDocument.Parse(Files[name]).RootElement;

    public ImageIndex Index() => JsonSerializer.Deserialize(Files["index.json"], OciJsonContext.Default.ImageIndex)!;

    /// <summary>The blobs/ files, each checked to be named after its content's digest.</summary>
    public IReadOnlyDictionary<Digest, byte[]> Blobs()
    {
        var blobs = new Dictionary<Digest, byte[]>();
        foreach (var (name, content) in Files.Where(f => f.Key.StartsWith("blobs/", StringComparison.Ordinal)))
        {
            var digest = Digest.Sha256Of(content);
            Assert.Equal($"blobs/sha256/{digest.Hex}", name);
            blobs[digest] = content;
        }

        return blobs;
    }
}
