namespace Caisson.Cli.Arguments;

/// <summary>
/// A small getopt-like parser: <c>--name value</c>, <c>--name=value</c>, <c>-n value</c>, <c>-nvalue</c>,
/// clustered booleans <c>-qa</c>, and <c>--</c> to end the flags. Flags may appear between positionals.
/// </summary>
internal static class ArgumentParser
{
    /// <param name="args">The words after the verb.</param>
    /// <param name="flags">The flags accepted here.</param>
    /// <param name="verb">Named in error messages so they can point at the right help.</param>
    /// <param name="stopAtFirstPositional">Leave everything from the first positional on unparsed (for global flags).</param>
    public static ParsedArguments Parse(
        IReadOnlyList<string> args, IReadOnlyList<FlagSpec> flags, string? verb = null, bool stopAtFirstPositional = false)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var positionals = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                positionals.AddRange(args.Skip(i + 1));
                break;
            }
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                i = ParseLong(args, i, flags, values, verb);
            }
            else if (arg.Length > 1 && arg[0] == '-')
            {
                i = ParseShortCluster(args, i, flags, values, verb);
            }
            else if (stopAtFirstPositional)
            {
                positionals.AddRange(args.Skip(i));
                break;
            }
            else
            {
                positionals.Add(arg);
            }
        }
        return new ParsedArguments(values, positionals);
    }

    private static int ParseLong(
        IReadOnlyList<string> args, int i, IReadOnlyList<FlagSpec> flags, Dictionary<string, List<string>> values, string? verb)
    {
        var body = args[i].AsSpan(2);
        var equals = body.IndexOf('=');
        var name = (equals < 0 ? body : body[..equals]).ToString();
        var spec = flags.FirstOrDefault(f => f.Name == name)
            ?? throw new UsageException($"unknown flag: --{name}", verb);
        string? inline = equals < 0 ? null : body[(equals + 1)..].ToString();
        if (!spec.TakesValue)
        {
            Set(values, spec, inline switch
            {
                null or "true" => "true",
                "false" => "false",
                _ => throw new UsageException($"flag --{name} is a switch and takes no value (got \"{inline}\")", verb),
            });
            return i;
        }
        if (inline is not null)
        {
            Set(values, spec, inline);
            return i;
        }
        Set(values, spec, NextValue(args, i, $"--{name}", spec, verb));
        return i + 1;
    }

    private static int ParseShortCluster(
        IReadOnlyList<string> args, int i, IReadOnlyList<FlagSpec> flags, Dictionary<string, List<string>> values, string? verb)
    {
        var cluster = args[i];
        for (var c = 1; c < cluster.Length; c++)
        {
            var letter = cluster[c];
            var spec = flags.FirstOrDefault(f => f.Short == letter)
                ?? throw new UsageException($"unknown flag: -{letter}", verb);
            if (!spec.TakesValue)
            {
                Set(values, spec, "true");
                continue;
            }
            // A value flag ends the cluster: the rest of the word is its value, or else the next word.
            if (c + 1 < cluster.Length)
            {
                Set(values, spec, cluster[(c + 1)..].TrimStart('='));
                return i;
            }
            Set(values, spec, NextValue(args, i, $"-{letter}", spec, verb));
            return i + 1;
        }
        return i;
    }

    /// <summary>A repeatable flag collects every value; any other keeps only the last.</summary>
    private static void Set(Dictionary<string, List<string>> values, FlagSpec spec, string value)
    {
        if (spec.Repeatable && values.TryGetValue(spec.Name, out var list))
            list.Add(value);
        else
            values[spec.Name] = [value];
    }

    private static string NextValue(IReadOnlyList<string> args, int i, string shownName, FlagSpec spec, string? verb)
    {
        if (i + 1 >= args.Count)
            throw new UsageException($"flag {shownName} needs a value ({spec.ValueName})", verb);
        return args[i + 1];
    }
}
