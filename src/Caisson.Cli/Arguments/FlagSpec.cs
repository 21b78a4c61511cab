namespace Caisson.Cli.Arguments;

/// <summary>One flag a command accepts: its names, whether it takes a value, and what help says about it.</summary>
/// <param name="Name">Long name without dashes, e.g. "platform"; also the key in <see cref="ParsedArguments"/>.</param>
/// <param name="Short">Single-letter alias without the dash, or null.</param>
/// <param name="ValueName">Placeholder shown in help ("FILE"); null for a boolean flag.</param>
/// <param name="Description">One line for help.</param>
/// <param name="Default">Default shown in help, or null when there is nothing worth showing.</param>
/// <param name="Repeatable">Every occurrence is kept (-e A=1 -e B=2), rather than the last one winning.</param>
internal sealed record FlagSpec(
    string Name, char? Short, string? ValueName, string Description, string? Default = null, bool Repeatable = false)
{
    public bool TakesValue => ValueName is not null;

    public static FlagSpec Boolean(string name, char? shortName, string description) =>
        new(name, shortName, null, description);

    public static FlagSpec Value(string name, char? shortName, string valueName, string description, string? defaultValue = null) =>
        new(name, shortName, valueName, description, defaultValue);

    /// <summary>A value flag that may be given many times; read all of them with <see cref="ParsedArguments.Values"/>.</summary>
    public static FlagSpec List(string name, char? shortName, string valueName, string description) =>
        new(name, shortName, valueName, description, Repeatable: true);

    /// <summary>How help and error messages name the flag: "-q, --quiet" or "--platform".</summary>
    public string DisplayName => Short is { } s ? $"-{s}, --{Name}" : $"--{Name}";
}
