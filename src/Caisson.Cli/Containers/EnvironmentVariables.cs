using Caisson.Api.Cri;
using Caisson.Core.Errors;
using Google.Protobuf;

namespace Caisson.Cli.Containers;

/// <summary>
/// Reads docker's <c>-e NAME=VALUE</c>, and <c>-e NAME</c>, which passes this shell's value of NAME on (or nothing
/// when it is unset).
/// </summary>
internal static class EnvironmentVariables
{
    public static KeyValue? Parse(string value, Func<string, string?> lookup)
    {
        var equals = value.IndexOf('=', StringComparison.Ordinal);
        var name = equals < 0 ? value : value[..equals];
        if (name.Length == 0 || name.Any(char.IsWhiteSpace) || name.Contains('\0', StringComparison.Ordinal))
            throw new InvalidArgumentException($"-e {value}: \"{name}\" is not a variable name");
        var text = equals < 0 ? lookup(name) : value[(equals + 1)..];
        return text is null ? null : new KeyValue { Key = name, Value = ByteString.CopyFromUtf8(text) };
    }
}
