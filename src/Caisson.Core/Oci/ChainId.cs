using System.Security.Cryptography;
using System.Text;
using Caisson.Core.Digests;

namespace Caisson.Core.Oci;

/// <summary>Chain ids name a stack of layers: the key of the snapshot holding that stack.</summary>
public static class ChainId
{
    /// <summary>The chain id of each prefix of <paramref name="diffIds"/>, bottom first.</summary>
    public static IReadOnlyList<Digest> Compute(IReadOnlyList<Digest> diffIds)
    {
        var result = new Digest[diffIds.Count];
        for (var i = 0; i < diffIds.Count; i++)
        {
            result[i] = i == 0
                ? diffIds[0]
                : Digest.FromSha256Hash(SHA256.HashData(Encoding.ASCII.GetBytes($"{result[i - 1]} {diffIds[i]}")));
        }

        return result;
    }
}
