namespace Caisson.Cli.Arguments;

/// <summary>The flags and positional arguments of one command line, after parsing.</summary>
internal sealed class ParsedArguments
{
    private readonly Dictionary<string, string> _values;

    public ParsedArguments(Dictionary<string, string> values, IReadOnlyList<string> positionals)
    {
        _values = values;
        Positionals = positionals;
    }

    public IReadOnlyList<string> Positionals { get; }

    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>A boolean flag: present (or given as =true) means on.</summary>
    public bool Flag(string name) => _values.TryGetValue(name, out var v) && v == "true";

    public string? Value(string name) => _values.TryGetValue(name, out var v) ? v : null;

    public string Value(string name, string fallback) => Value(name) ?? fallback;
}
