namespace Caisson.Cli.Output;

/// <summary>"Key:   value" lines with the values aligned, as `docker info` and `docker version` print them.</summary>
internal sealed class KeyValueBlock(string indent = "")
{
    private readonly List<(string Key, string Value)> _lines = [];

    public KeyValueBlock Add(string key, string value)
    {
        _lines.Add((key, value));
        return this;
    }

    public void WriteTo(TextWriter writer)
    {
        var width = _lines.Max(l => l.Key.Length) + 2;
        foreach (var (key, value) in _lines)
            writer.WriteLine($"{indent}{(key + ":").PadRight(width)} {value}".TrimEnd());
    }
}
