using Google.Protobuf.Collections;

namespace Caisson.Cri.Runtime;

/// <summary>CRI list filters' label_selector: every selected label must be present with the same value.</summary>
internal static class LabelSelector
{
    public static bool Matches(MapField<string, string>? selector, MapField<string, string> labels) =>
        selector is null || selector.All(l => labels.TryGetValue(l.Key, out var value) && value == l.Value);
}
