using System.Security.Cryptography;
using Caisson.Core.Digests;
using Caisson.Core.Errors;

namespace Caisson.Images.Distribution;

/// <summary>Computing and checking digests in the algorithm a digest names.</summary>
internal static class ContentDigest
{
    public static Digest Compute(string algorithm, ReadOnlySpan<byte> content) => algorithm switch
    {
        "sha256" => Digest.FromSha256Hash(SHA256.HashData(content)),
        "sha512" => Digest.Parse("sha512:" + Convert.ToHexStringLower(SHA512.HashData(content))),
        _ => throw new InvalidArgumentException($"unsupported digest algorithm \"{algorithm}\""),
    };

    public static IncrementalHash CreateHash(Digest digest) => digest.Algorithm switch
    {
        "sha256" => IncrementalHash.CreateHash(HashAlgorithmName.SHA256),
        "sha512" => IncrementalHash.CreateHash(HashAlgorithmName.SHA512),
        _ => throw new InvalidArgumentException($"unsupported digest algorithm \"{digest.Algorithm}\""),
    };

    public static Digest FromHash(string algorithm, ReadOnlySpan<byte> hash) =>
        Digest.Parse($"{algorithm}:{Convert.ToHexStringLower(hash)}");

    /// <summary>Throws a digest mismatch naming both digests unless <paramref name="content"/> hashes to <paramref name="expected"/>.</summary>
    public static void Verify(string what, Digest expected, ReadOnlySpan<byte> content)
    {
        var actual = Compute(expected.Algorithm, content);
        if (actual != expected)
            throw RegistryErrors.DigestMismatch(what, expected, actual);
    }
}
