using System.Globalization;
using Caisson.Core.Digests;
using Caisson.Core.Errors;
using Caisson.Core.References;

namespace Caisson.Images.Archive;

/// <summary>
/// How images in an archive are named, in and out.
/// <list type="bullet">
/// <item>An OCI index entry is named by containerd's <c>io.containerd.image.name</c> annotation, else by
/// <c>org.opencontainers.image.ref.name</c> when that is a full reference. A ref.name that is only a tag
/// ("latest", or "busybox", which could be either) names nothing: without a repository it cannot be a name.</item>
/// <item>A docker save entry is named by its RepoTags.</item>
/// <item>An image with no name at all is recorded as <c>import-&lt;yyyy-MM-dd&gt;@&lt;digest&gt;</c> (what
/// containerd's <c>ctr import --digests</c> records) so that it is kept and can be found and removed, and it is
/// reported to the caller by its image id, as <c>docker load</c> does.</item>
/// </list>
/// </summary>
internal static class ImageNames
{
    public const string ContainerdNameAnnotation = "io.containerd.image.name";
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    public static string? FromAnnotations(IReadOnlyDictionary<string, string>? annotations, string where)
    {
        if (annotations is null)
            return null;
        if (annotations.TryGetValue(ContainerdNameAnnotation, out var name) && !string.IsNullOrEmpty(name))
            return Normalize(name, $"{where}: annotation {ContainerdNameAnnotation}");
        if (annotations.TryGetValue(RefNameAnnotation, out var reference) && reference.IndexOfAny(['/', ':', '@']) >= 0)
            return Normalize(reference, $"{where}: annotation {RefNameAnnotation}");
        return null;
    }

    public static string FromRepoTag(string tag, string where) => Normalize(tag, $"{where}: RepoTag");

    /// <summary>The name an unnamed image is kept under.</summary>
    public static string ForUnnamed(DateTimeOffset now, Digest target) =>
        ImageReference.Parse($"import-{now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}@{target}").ToString();

    /// <summary>The short form docker prints and writes into RepoTags (<c>busybox:latest</c>).</summary>
    public static string Familiar(ImageReference reference)
    {
        var text = reference.ToString();
        if (reference.Registry != ImageReference.DefaultRegistry)
            return text;
        text = text[(ImageReference.DefaultRegistry.Length + 1)..];
        return text.StartsWith("library/", StringComparison.Ordinal) && text.IndexOf('/', "library/".Length) < 0
            ? text["library/".Length..]
            : text;
    }

    private static string Normalize(string name, string where)
    {
        try
        {
            return ImageReference.Parse(name).ToString();
        }
        catch (InvalidArgumentException e)
        {
            throw new InvalidArgumentException($"{where}: {e.Message}", e);
        }
    }
}
