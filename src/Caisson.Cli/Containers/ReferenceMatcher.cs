using Caisson.Core.Errors;

namespace Caisson.Cli.Containers;

/// <summary>
/// Finds the container or pod a person means: its full id, its name, or a prefix of its id that only it has, in
/// that order (so a name that looks like an id prefix still names its container). A reference that fits several
/// is refused with the candidates listed, never guessed.
/// </summary>
internal static class ReferenceMatcher
{
    /// <param name="kind">"container" or "pod", for the messages.</param>
    /// <returns>The one match, or null when nothing fits.</returns>
    public static T? Find<T>(IReadOnlyCollection<T> items, string reference, Func<T, string> id, Func<T, string> name, string kind)
        where T : class
    {
        if (reference.Length == 0)
            throw new InvalidArgumentException($"empty {kind} reference");
        if (items.FirstOrDefault(i => id(i) == reference) is { } exact)
            return exact;
        var named = items.Where(i => name(i) == reference).ToList();
        if (named.Count == 1)
            return named[0];
        if (named.Count > 1)
            throw Ambiguous(reference, $"is the name of {named.Count} {kind}s", named, id, name);
        var prefixed = items.Where(i => id(i).StartsWith(reference, StringComparison.Ordinal)).ToList();
        if (prefixed.Count > 1)
            throw Ambiguous(reference, $"is the start of {prefixed.Count} {kind} ids", prefixed, id, name);
        return prefixed.Count == 1 ? prefixed[0] : null;
    }

    /// <summary>Like <see cref="Find"/>, but nothing fitting is an error naming the reference.</summary>
    public static T Get<T>(IReadOnlyCollection<T> items, string reference, Func<T, string> id, Func<T, string> name, string kind)
        where T : class =>
        Find(items, reference, id, name, kind) ?? throw new NotFoundException($"no such {kind}: {reference}");

    private static InvalidArgumentException Ambiguous<T>(
        string reference, string what, List<T> candidates, Func<T, string> id, Func<T, string> name)
    {
        var listed = string.Join(", ", candidates.Select(c => $"{ContainerText.ShortId(id(c))} ({name(c)})"));
        return new InvalidArgumentException($"\"{reference}\" {what}: {listed}; give more of the id");
    }
}
