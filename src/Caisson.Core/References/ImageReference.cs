using System.Text.RegularExpressions;
using Caisson.Core.Digests;
using Caisson.Core.Errors;

namespace Caisson.Core.References;

/// <summary>
/// A fully qualified image reference (registry host, repository path, tag and/or digest), normalized as docker
/// does: <c>busybox</c> is <c>docker.io/library/busybox:latest</c>.
/// </summary>
public sealed partial record ImageReference
{
    public const string DefaultRegistry = "docker.io";
    public const string DefaultTag = "latest";
    private const int MaxNameLength = 255;

    private ImageReference(string registry, string repository, string? tag, Digest? digest)
    {
        Registry = registry;
        Repository = repository;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>The registry host, with port when given (<c>docker.io</c>, <c>localhost:5000</c>).</summary>
    public string Registry { get; }

    /// <summary>The repository path inside the registry (<c>library/busybox</c>).</summary>
    public string Repository { get; }

    public string? Tag { get; }

    public Digest? Digest { get; }

    /// <summary><c>registry/repository</c>, the name without tag or digest.</summary>
    public string Name => $"{Registry}/{Repository}";

    /// <summary>The tag, or else the digest, as the registry's manifest endpoint wants it.</summary>
    public string ManifestReference => Digest?.ToString() ?? Tag ?? DefaultTag;

    public override string ToString() =>
        Name + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    public ImageReference WithTag(string tag) => new(Registry, Repository, ValidateTag(tag, tag), null);

    public ImageReference WithDigest(Digest digest) => new(Registry, Repository, null, digest);

    public ImageReference WithoutTagOrDigest() => new(Registry, Repository, null, null);

    /// <summary>Parses and normalizes a reference; adds the tag <c>latest</c> when neither tag nor digest is given.</summary>
    public static ImageReference Parse(string value) => ParseCore(value, addDefaultTag: true);

    /// <summary>Parses a repository name alone (no tag is added; one may still be given).</summary>
    public static ImageReference ParseName(string value) => ParseCore(value, addDefaultTag: false);

    public static bool TryParse(string value, out ImageReference? reference)
    {
        try
        {
            reference = Parse(value);
            return true;
        }
        catch (InvalidArgumentException)
        {
            reference = null;
            return false;
        }
    }

    private static ImageReference ParseCore(string value, bool addDefaultTag)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw Invalid(value, "empty reference");
        if (value.Trim() != value || value.Any(char.IsWhiteSpace))
            throw Invalid(value, "whitespace is not allowed");

        var remainder = value;
        Digest? digest = null;
        var at = remainder.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            if (!Digests.Digest.TryParse(remainder[(at + 1)..], out var d, out var why))
                throw Invalid(value, $"bad digest: {why}");
            digest = d;
            remainder = remainder[..at];
        }

        string? tag = null;
        var lastColon = remainder.LastIndexOf(':');
        var lastSlash = remainder.LastIndexOf('/');
        if (lastColon > lastSlash)
        {
            tag = ValidateTag(remainder[(lastColon + 1)..], value);
            remainder = remainder[..lastColon];
        }

        if (remainder.Length == 0)
            throw Invalid(value, "missing repository name");

        string registry;
        string path;
        var firstSlash = remainder.IndexOf('/', StringComparison.Ordinal);
        var first = firstSlash < 0 ? null : remainder[..firstSlash];
        if (first is not null && (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost"
            || first.Any(char.IsAsciiLetterUpper)))
        {
            registry = first;
            path = remainder[(firstSlash + 1)..];
            if (!DomainPattern().IsMatch(registry))
                throw Invalid(value, $"invalid registry host \"{registry}\"");
        }
        else
        {
            registry = DefaultRegistry;
            path = remainder;
        }

        if (registry is "index.docker.io" or "registry-1.docker.io")
            registry = DefaultRegistry;
        if (registry == DefaultRegistry && !path.Contains('/', StringComparison.Ordinal))
            path = "library/" + path;

        if (path.Any(char.IsAsciiLetterUpper))
            throw Invalid(value, "repository name must be lowercase");
        foreach (var component in path.Split('/'))
        {
            if (!PathComponentPattern().IsMatch(component))
                throw Invalid(value, $"invalid repository path component \"{component}\"");
        }

        if (registry.Length + 1 + path.Length > MaxNameLength)
            throw Invalid(value, $"repository name longer than {MaxNameLength} characters");

        if (tag is null && digest is null && addDefaultTag)
            tag = DefaultTag;
        return new ImageReference(registry, path, tag, digest);
    }

    private static string ValidateTag(string tag, string whole)
    {
        if (!TagPattern().IsMatch(tag))
            throw Invalid(whole, $"invalid tag \"{tag}\" (letters, digits, '_', '.', '-'; at most 128; not starting with '.' or '-')");
        return tag;
    }

    private static InvalidArgumentException Invalid(string value, string why) =>
        new($"invalid image reference \"{value}\": {why}");

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$")]
    private static partial Regex PathComponentPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]+)?$")]
    private static partial Regex DomainPattern();
}
