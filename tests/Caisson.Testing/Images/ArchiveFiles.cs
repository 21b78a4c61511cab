using System.Formats.Tar;

namespace Caisson.Testing.Images;

/// <summary>The files of an image archive (OCI layout, docker save), written to a directory or as one tar.</summary>
internal sealed class ArchiveFiles
{
    private readonly Dictionary<string, byte[]> files = new(StringComparer.Ordinal);
    private readonly List<string> order = [];

    /// <summary>Adds a file by relative path; adding the same path again (a shared blob) keeps the first.</summary>
    public void Add(string path, byte[] content)
    {
        if (files.TryAdd(path, content))
            order.Add(path);
    }

    public void WriteTo(string directory)
    {
        foreach (var path in order)
        {
            var full = Path.Join(directory, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, files[path]);
        }
    }

    /// <summary>Writes a tar with an entry for each parent directory before its first file.</summary>
    public void WriteTar(Stream output)
    {
        var tar = DeterministicTar.Write(writer =>
        {
            var directories = new HashSet<string>(StringComparer.Ordinal);
            foreach (var path in order)
            {
                WriteParents(writer, path, directories);
                var entry = new PaxTarEntry(TarEntryType.RegularFile, path)
                {
                    Mode = UnixMode.File,
                    ModificationTime = LayerBuilder.DefaultModificationTime,
                    DataStream = new MemoryStream(files[path], writable: false),
                };
                writer.WriteEntry(entry);
            }
        });
        output.Write(tar);
    }

    private static void WriteParents(TarWriter writer, string path, HashSet<string> written)
    {
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        while (slash > 0)
        {
            var directory = path[..(slash + 1)];
            if (written.Add(directory))
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, directory)
                {
                    Mode = UnixMode.Directory,
                    ModificationTime = LayerBuilder.DefaultModificationTime,
                });
            }

            slash = path.IndexOf('/', slash + 1);
        }
    }
}
