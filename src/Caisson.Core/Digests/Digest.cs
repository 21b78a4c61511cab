using System.Security.Cryptography;
using Caisson.Core.Errors;

namespace Caisson.Core.Digests;

/// <summary>A content digest such as <c>sha256:abc...</c>, validated on construction.</summary>
public readonly record struct Digest : IComparable<Digest>
{
    private Digest(string algorithm, string hex)
    {
        Algorithm = algorithm;
        Hex = hex;
    }

    public string Algorithm { get; }

    /// <summary>The lowercase hex encoding of the hash.</summary>
    public string Hex { get; }

    public override string ToString() => Algorithm is null ? "" : $"{Algorithm}:{Hex}";

    public static Digest Parse(string value)
    {
        if (!TryParse(value, out var digest, out var error))
            throw new InvalidArgumentException($"invalid digest \"{value}\": {error}");
        return digest;
    }

    public static bool TryParse(string? value, out Digest digest) => TryParse(value, out digest, out _);

    public static bool TryParse(string? value, out Digest digest, out string error)
    {
        digest = default;
        if (string.IsNullOrEmpty(value))
        {
            error = "empty";
            return false;
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            error = "missing algorithm";
            return false;
        }

        var algorithm = value[..colon];
        var hex = value[(colon + 1)..];
        var expectedLength = algorithm switch
        {
            "sha256" => 64,
            "sha512" => 128,
            _ => -1,
        };
        if (expectedLength < 0)
        {
            error = $"unsupported algorithm \"{algorithm}\"";
            return false;
        }

        if (hex.Length != expectedLength)
        {
            error = $"{algorithm} needs {expectedLength} hex characters, got {hex.Length}";
            return false;
        }

        foreach (var c in hex)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                error = "not lowercase hex";
                return false;
            }
        }

        digest = new Digest(algorithm, hex);
        error = "";
        return true;
    }

    public static Digest FromSha256Hash(ReadOnlySpan<byte> hash) =>
        new("sha256", Convert.ToHexStringLower(hash));

    public static Digest Sha256Of(ReadOnlySpan<byte> content) => FromSha256Hash(SHA256.HashData(content));

    public int CompareTo(Digest other) => string.CompareOrdinal(ToString(), other.ToString());

    public static bool operator <(Digest left, Digest right) => left.CompareTo(right) < 0;

    public static bool operator >(Digest left, Digest right) => left.CompareTo(right) > 0;

    public static bool operator <=(Digest left, Digest right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Digest left, Digest right) => left.CompareTo(right) >= 0;

    /// <summary>Hex prefix used for short ids (12 characters, as docker shows them).</summary>
    public string ShortId => Hex.Length >= 12 ? Hex[..12] : Hex;
}
