namespace Caisson.Cli.Arguments;

/// <summary>The flags and positional arguments of one command line, after parsing.</summary>
internal sealed class ParsedArguments
{
    private readonly Dictionary<string, List<string>> _values;

    public ParsedArguments(Dictionary<string, List<string>> values, IReadOnlyList<string> positionals)
    {
        _values = values;
        Positionals = positionals;
    }

    public IReadOnlyList<string> Positionals { get; }

    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>A boolean flag: present (or given as =true) means on.</summary>
    public bool Flag(string name) => Value(name) == "true";

    /// <summary>The flag's value; when it was given more than once, the last one.</summary>
    public string? Value(string name) => _values.TryGetValue(name, out var v) ? v[^1] : null;

    public string Value(string name, string fallback) => Value(name) ?? fallback;

    /// <summary>Every value of a repeatable flag, in command-line order; empty when it was not given.</summary>
    public IReadOnlyList<string> Values(string name) => _values.TryGetValue(name, out var v) ? v : [];
}
