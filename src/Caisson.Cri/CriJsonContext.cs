using System.Text.Json.Serialization;

namespace Caisson.Cri;

/// <summary>The types caissond's CRI services write as JSON (verbose info), generated at build time for NativeAOT.</summary>
[JsonSerializable(typeof(Dictionary<string, string?>))]
internal sealed partial class CriJsonContext : JsonSerializerContext;
