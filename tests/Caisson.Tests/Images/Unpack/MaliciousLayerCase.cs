using Caisson.Images.Unpack;

namespace Caisson.Tests.Images.Unpack;

/// <summary>
/// One hostile layer: how to build it around a <see cref="CanaryLayout"/>, and either the fragment its
/// refusal must mention or, when it may succeed (everything read inside the root), what must hold inside.
/// </summary>
internal sealed record MaliciousLayerCase(
    string Description,
    Func<CanaryLayout, TarBuilder> Build,
    string? RefusalMentions = null,
    Action<CanaryLayout, WhiteoutMode>? CheckInside = null)
{
    public static MaliciousLayerCase Refused(string description, string mentions, Func<CanaryLayout, TarBuilder> build) =>
        new(description, build, mentions);

    public static MaliciousLayerCase Contained(
        string description, Func<CanaryLayout, TarBuilder> build, Action<CanaryLayout, WhiteoutMode>? checkInside = null) =>
        new(description, build, null, checkInside);
}
