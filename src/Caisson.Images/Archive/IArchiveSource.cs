using Caisson.Core.Digests;
using Caisson.Images.Content;

namespace Caisson.Images.Archive;

/// <summary>
/// The files of an image archive, by normalized archive name: a tar already staged on disk, or an OCI layout
/// directory. Everything in it is untrusted until a digest says otherwise.
/// </summary>
internal interface IArchiveSource
{
    /// <summary>What the files come from, for error messages ("the archive", "OCI layout /path").</summary>
    string Description { get; }

    bool Contains(string name);

    long SizeOf(string name);

    Stream OpenRead(string name);

    /// <summary>The sha256 of a file's content.</summary>
    ValueTask<Digest> DigestOfAsync(string name, CancellationToken cancellationToken);

    /// <summary>Puts a file into the content store as <paramref name="digest"/>, refusing content that does not match.</summary>
    Task PublishAsync(string name, Digest digest, ContentStore content, CancellationToken cancellationToken);
}
