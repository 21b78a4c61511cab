using Caisson.Core.Errors;
using Caisson.Core.Oci;

namespace Caisson.Images.Distribution;

/// <summary>
/// Picks the manifest for a platform from an index. OS and architecture must match; among those, an exact variant
/// beats an entry without one, which beats an older ARM variant the machine can also run (v7 runs v6 and v5).
/// Index order breaks ties, as registries list the preferred entry first.
/// </summary>
internal static class PlatformSelector
{
    public static Descriptor Select(ImageIndex index, Platform platform)
    {
        var best = index.Manifests
            .Select((descriptor, order) => (descriptor, order, rank: Rank(platform, descriptor)))
            .Where(c => c.rank is not null && (c.descriptor.MediaType.Length == 0 || MediaTypes.IsManifest(c.descriptor.MediaType)
                || MediaTypes.IsIndex(c.descriptor.MediaType)))
            .OrderBy(c => c.rank)
            .ThenBy(c => c.order)
            .Select(c => c.descriptor)
            .FirstOrDefault();
        if (best is not null)
            return best;

        var available = index.Manifests
            .Select(d => d.Platform?.ToString() ?? "(no platform)")
            .Distinct(StringComparer.Ordinal)
            .ToList();
        throw new NotFoundException(
            $"no manifest for platform {platform} in the index; it has {(available.Count == 0 ? "no entries" : string.Join(", ", available))}");
    }

    /// <summary>Lower is better; null when the entry cannot run on <paramref name="wanted"/>.</summary>
    private static int? Rank(Platform wanted, Descriptor descriptor)
    {
        if (descriptor.Platform is not { } candidate)
            return null;
        if (!(wanted with { Variant = null }).Matches(candidate with { Variant = null }))
            return null;

        var want = EffectiveVariant(wanted);
        var have = EffectiveVariant(candidate);
        if (want == have)
            return 0;
        if (want is null || have is null)
            return 1;
        if (IsArm32(wanted) && ArmVersion(want) is { } w && ArmVersion(have) is { } h && h < w)
            return 2 + (w - h);
        return null;
    }

    private static string? EffectiveVariant(Platform platform)
    {
        var variant = string.IsNullOrEmpty(platform.Variant) ? null : platform.Variant.ToLowerInvariant();
        var isArm64 = platform.Architecture is "arm64" or "aarch64";
        return isArm64 && variant == "v8" ? null : variant;
    }

    private static bool IsArm32(Platform platform) => platform.Architecture == "arm";

    private static int? ArmVersion(string variant) =>
        variant.Length >= 2 && variant[0] == 'v' && int.TryParse(variant.AsSpan(1), out var version) ? version : null;
}
