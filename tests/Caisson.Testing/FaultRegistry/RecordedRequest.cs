namespace Caisson.Testing.FaultRegistry;

/// <summary>One request as the fault-injecting registry received it, for assertions.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>The header's value (values joined with ", "), or null when it was not sent.</summary>
    public string? Header(string name) => Headers.GetValueOrDefault(name);

    public string? Authorization => Header("Authorization");

    public override string ToString() => $"{Method} {Path}{Query}";
}
