using System.Globalization;
using Caisson.Core.Errors;
using Tomlyn.Model;

namespace Caisson.Daemon.Configuration;

/// <summary>
/// Strict reading of one TOML table: every key must be known, every value of the expected type, and errors name
/// the full dotted key and the file.
/// </summary>
internal sealed class TomlSection(TomlTable table, string path, string file)
{
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public bool Has(string key) => table.ContainsKey(key);

    public string String(string key, string fallback) => Get(key, fallback, v => v as string);

    public bool Bool(string key, bool fallback) => Get(key, fallback, v => v is bool b ? b : null);

    public int Int(string key, int fallback, int min = int.MinValue, int max = int.MaxValue)
    {
        var value = Get(key, (long)fallback, v => v is long l ? l : null);
        if (value < min || value > max)
            throw Error($"{Name(key)} = {value} is out of range ({min} to {max})");
        return (int)value;
    }

    public string OneOf(string key, string fallback, params string[] allowed)
    {
        var value = String(key, fallback);
        return allowed.Contains(value, StringComparer.Ordinal)
            ? value
            : throw Error($"{Name(key)} = \"{value}\" is not one of: {string.Join(", ", allowed)}");
    }

    /// <summary>An error about <paramref name="key"/> in this table, naming the file and the full key.</summary>
    public InvalidArgumentException Invalid(string key, string problem) => Error($"{Name(key)}: {problem}");

    public List<string> Strings(string key, List<string> fallback) => Get(key, fallback, v =>
        v is TomlArray array && array.All(item => item is string) ? array.Cast<string>().ToList() : null);

    public TomlSection? Table(string key)
    {
        _read.Add(key);
        if (!table.TryGetValue(key, out var value))
            return null;
        return value is TomlTable sub ? new TomlSection(sub, Name(key), file) : throw Error($"{Name(key)} must be a table");
    }

    /// <summary>Each entry of a table of tables (e.g. [registry.mirrors."docker.io"]).</summary>
    public IEnumerable<(string Key, TomlSection Section)> Tables()
    {
        foreach (var (key, value) in table)
        {
            _read.Add(key);
            yield return value is TomlTable sub
                ? (key, new TomlSection(sub, Name(key), file))
                : throw Error($"{Name(key)} must be a table");
        }
    }

    /// <summary>Refuses keys nobody asked for: a typo should fail loudly, not be ignored.</summary>
    public void RejectUnknown()
    {
        foreach (var key in table.Keys)
        {
            if (!_read.Contains(key))
                throw Error($"unknown key \"{Name(key)}\" (see `caisson config default` for the keys)");
        }
    }

    private T Get<T>(string key, T fallback, Func<object, object?> convert)
    {
        _read.Add(key);
        if (!table.TryGetValue(key, out var value))
            return fallback;
        return convert(value) is T converted
            ? converted
            : throw Error($"{Name(key)} has the wrong type ({Describe(value)}); expected {Describe(fallback)}");
    }

    private static string Describe(object? value) => value switch
    {
        string => "a string",
        bool => "true or false",
        long or int => "an integer",
        TomlTable => "a table",
        TomlArray or System.Collections.IEnumerable => "an array",
        _ => value?.GetType().Name ?? "null",
    };

    private string Name(string key) => path.Length == 0 ? key : string.Create(CultureInfo.InvariantCulture, $"{path}.{key}");

    private InvalidArgumentException Error(string message) => new($"{file}: {message}");
}
